"""The county administrator's admin pages speak Chinese (issue 17 "The administrator, in Chinese"):
Django 5.2 ships some of its admin messages without a Chinese translation (config/django_messages.py
puts them in the project's catalog); the add-user page said its one sentence in English."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
SENTENCE = "After you’ve created a user, you’ll be able to edit more user options."


def visible_english(html):
    """Text between tags (scripts left out) with an English word in it: the user's login name aside."""
    body = re.sub(r"<script.*?</script>", "", html.split("<body", 1)[1], flags=re.S)
    texts = re.findall(r">([^<]+)<", re.sub(r"&\w+;", "", body))
    return [t.strip() for t in texts if re.search(r"[A-Za-z]{3,}", t)]


def test_the_add_user_page_is_chinese(client, demo):
    admin = demo["zhuji_administrator"]
    client.force_login(admin)
    html = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert "创建用户后，您可以继续编辑该用户的更多信息。" in html and SENTENCE not in html
    assert visible_english(html) == [admin.username]  # the hidden table headings too


def test_in_english_the_sentence_is_djangos(client, demo):
    client.force_login(demo["zhuji_administrator"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert SENTENCE in html and "创建用户后" not in html
