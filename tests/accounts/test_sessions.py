import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.middleware import AbsoluteSessionLimitMiddleware, SessionRenewalMiddleware

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


def test_idle_timeout_is_30_minutes_renewed_at_most_once_a_minute(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_RENEW_AFTER_SECONDS == 60


def age(client, seconds):
    """Move every time the session stores back by ``seconds``: as if that much time had passed."""
    session = client.session
    for key in (SessionRenewalMiddleware.KEY, AbsoluteSessionLimitMiddleware.KEY):
        if key in session:
            session[key] -= seconds
    expires = Session.objects.get(pk=session.session_key).expire_date
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=expires - timedelta(seconds=seconds))


def expiry(client):
    return Session.objects.get(pk=client.session.session_key).expire_date


def session_writes(client, url="/"):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if 'UPDATE "django_session"' in q["sql"]]


def test_a_session_idle_for_the_idle_time_has_expired(client, demo, settings):
    client.force_login(demo["xianjin_mediator"])
    assert client.get("/").status_code == 200
    age(client, settings.SESSION_COOKIE_AGE + 1)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_activity_extends_the_session(client, demo, settings):
    idle = settings.SESSION_COOKIE_AGE
    client.force_login(demo["xianjin_mediator"])
    assert client.get("/").status_code == 200
    # Twice nearly the idle time, with a request in between: the request renewed the expiry.
    age(client, idle - 5)
    before = expiry(client)
    assert len(session_writes(client)) == 1
    assert (expiry(client) - before).total_seconds() >= idle - 10
    age(client, idle - 5)
    assert client.get("/").status_code == 200


def test_a_request_within_the_renewal_window_writes_no_session(client, demo, settings):
    window, idle = settings.SESSION_RENEW_AFTER_SECONDS, settings.SESSION_COOKIE_AGE
    client.force_login(demo["xianjin_mediator"])
    assert client.get("/").status_code == 200
    before = expiry(client)
    assert session_writes(client) == []
    # 10 s short of the window (the stored times are whole seconds; the test's own time adds up).
    age(client, window - 10)
    assert session_writes(client) == []
    assert expiry(client) == before - timedelta(seconds=window - 10)
    age(client, 11)
    assert len(session_writes(client)) == 1  # past the window: renewed
    # The idle expiry is within [idle - window, idle] of the last request: one within the window
    # did not move it, so the session ends before idle seconds have passed since that request.
    age(client, window - 10)
    assert session_writes(client) == []
    age(client, idle - window + 11)
    assert client.get("/").status_code == 302


def test_the_absolute_limit_holds_for_a_session_kept_active(client, demo, settings):
    client.force_login(demo["xianjin_mediator"])
    assert client.get("/").status_code == 200
    step = settings.SESSION_COOKIE_AGE - settings.SESSION_RENEW_AFTER_SECONDS
    elapsed = 0
    while elapsed + step <= settings.SESSION_ABSOLUTE_SECONDS:
        age(client, step)
        elapsed += step
        assert client.get("/").status_code == 200, elapsed
    age(client, settings.SESSION_ABSOLUTE_SECONDS - elapsed + 1)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


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


@pytest.mark.django_db(transaction=True)
def test_a_renewal_is_one_statement_and_a_vanished_session_is_not_recreated(client, demo, settings):
    from django.contrib.sessions.backends.base import UpdateError

    from accounts.sessions import SessionStore

    client.force_login(demo["xianjin_mediator"])
    assert client.get("/").status_code == 200
    age(client, settings.SESSION_RENEW_AFTER_SECONDS + 1)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    # Reads: SELECTs and the request user's prepared statement (accounts.backends, PostgreSQL).
    reads = ("SELECT", "EXECUTE jiefen_request_user_")
    writes = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(reads)]
    assert len(writes) == 1 and writes[0].startswith('UPDATE "django_session"')  # no BEGIN/COMMIT

    store = SessionStore(client.session.session_key)
    store["x"] = 1
    Session.objects.all().delete()
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()


def test_the_session_is_read_with_one_statement_as_django_reads_it(client, demo):
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    from accounts.sessions import READ, SessionStore

    client.force_login(demo["xianjin_mediator"])
    key = client.session.session_key
    with CaptureQueriesContext(connection) as ctx:
        data = SessionStore(key).load()
    assert [q["sql"].split(" WHERE")[0] for q in ctx.captured_queries] == [READ.split(" WHERE")[0]]
    assert data == DjangoStore(key).load() and data["_auth_user_id"] == str(demo["xianjin_mediator"].pk)

    Session.objects.filter(pk=key).update(
        expire_date=Session.objects.get(pk=key).expire_date - timedelta(days=1)
    )
    for store in (SessionStore(key), SessionStore("x" * 32)):  # expired, unknown
        assert store.load() == {} and store.session_key is None
