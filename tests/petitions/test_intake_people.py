"""The petition intake keeps a phone as typed, reads gender and birth date from the ID number for
every petitioner and representative (信访工作条例 §20), and brings up the number pad."""

import datetime

import pytest
from django.urls import reverse

from petitions.models import Petition
from tests.petitions.test_pages import intake, post

pytestmark = pytest.mark.django_db


def test_s20_petitioners_and_representatives_keep_their_phone_as_typed_and_gain_gender(client, demo):
    clerk = demo["zhuji_petition_clerk"]
    client.force_login(clerk)
    others = "钱芳，110105194912310038，0575-87012345\n周敏，，13700137000"
    reps = "孙志强，11010519491231002X，136 0013 6000"
    post(client, reverse("petitions:create"), intake(channel="letter", phone="136 0013 6000",
                                                     other_petitioners=others, representatives=reps))  # fmt: skip
    p = Petition.objects.get()
    parties = {(link.role, link.name): link for link in p.parties.all()}
    first = parties[("petitioner", "孙志强")]
    assert first.phone == "136 0013 6000" and first.gender == "F"
    assert first.birth_date == datetime.date(1949, 12, 31) and first.entered_by == clerk
    qian = parties[("petitioner", "钱芳")]
    assert qian.phone == "0575-87012345" and qian.gender == "M"
    assert parties[("petitioner", "周敏")].birth_date is None
    rep = parties[("representative", "孙志强")]
    # The same person as petitioner and representative: one register identity, linked by the
    # number's digest whatever the spacing of the phone.
    assert rep.person_id == first.person_id and rep.phone == "136 0013 6000"


def test_the_petition_form_brings_up_the_number_pad(client, demo):
    client.force_login(demo["zhuji_petition_clerk"])
    html = client.get(reverse("petitions:create")).content.decode()
    assert 'type="tel" name="phone"' in html and 'inputmode="numeric"' in html


def test_a_phone_too_long_for_its_column_is_refused_on_a_petitioner_line(client, demo):
    client.force_login(demo["zhuji_petition_clerk"])
    others = "钱芳，，0575 - 8701 - 2345 转 801"  # a number, but 24 characters as typed
    response = client.post(reverse("petitions:create"), intake(channel="letter", other_petitioners=others))
    assert response.status_code == 200 and Petition.objects.count() == 0
    assert "第1行：电话号码超过 20 个字符。" in response.content.decode()
