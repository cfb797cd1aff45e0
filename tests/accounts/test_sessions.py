import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_session_ends_after_the_absolute_limit(client, demo, settings):
    client.force_login(demo["xianjin_mediator"])
    assert client.get("/").status_code == 200
    session = client.session
    session["_jiefen_login_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get("/").status_code == 302


def test_idle_timeout_is_30_minutes_and_renewed(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_disabling_an_account_ends_its_sessions(client, demo):
    from django.test import Client

    user = demo["xianjin_mediator"]
    other = Client()
    client.force_login(user)
    other.force_login(user)
    assert Session.objects.count() == 2
    user.is_active = False
    user.save()
    assert Session.objects.count() == 0
    assert client.get("/").status_code == 302


def test_logout_is_post_only_and_ends_the_session(client, demo):
    client.force_login(demo["xianjin_mediator"])
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302
