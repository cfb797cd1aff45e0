"""Clients: client-credentials tokens from the token endpoint, scopes limited to the client's row,
expiry, revocation, every call logged, throttling per client."""

import base64

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from api.models import ApiCall
from tests.api.helpers import SECRET, bearer, county_centre, service_client, token_for

pytestmark = pytest.mark.django_db


def _token(client_row, scope=None):
    basic = base64.b64encode(f"{client_row.application.client_id}:{SECRET}".encode()).decode()
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    return Client().post("/api/v1/oauth/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")


def test_the_token_endpoint_issues_only_the_clients_scopes(demo):
    row = service_client(county_centre(), scopes="read intake")
    answer = _token(row)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert set(body["scope"].split()) == {"read", "intake"} and body["expires_in"] == 3600
    assert bearer(body["access_token"]).get("/api/v1/disputes/").status_code == 200
    from oauth2_provider.models import AccessToken

    # Stored hashed (RFC 9700 §4): the database never holds a token that could be replayed.
    assert not AccessToken.objects.filter(token=body["access_token"]).exists()
    # Only in the header: a token in the query string is not taken.
    assert Client().get(f"/api/v1/disputes/?access_token={body['access_token']}").status_code == 401
    assert _token(row, scope="workflow").status_code in (400, 401)
    wrong = base64.b64encode(f"{row.application.client_id}:nope".encode()).decode()
    refused = Client().post("/api/v1/oauth/token/", {"grant_type": "client_credentials"},
                            HTTP_AUTHORIZATION=f"Basic {wrong}")  # fmt: skip
    assert refused.status_code == 401


def test_no_token_an_expired_one_and_a_switched_off_client_are_401(demo):
    row = service_client(county_centre())
    assert Client().get("/api/v1/disputes/").status_code in (401, 403)
    assert bearer("no-such-token").get("/api/v1/disputes/").status_code == 401
    assert bearer(token_for(row, seconds=-1)).get("/api/v1/disputes/").status_code == 401
    token = token_for(row)
    row.is_active = False
    row.save()
    answer = bearer(token).get("/api/v1/disputes/")
    assert answer.status_code == 401 and "不能使用" in answer.json()["detail"]


def test_a_revoked_token_stops_working(demo):
    from oauth2_provider.models import AccessToken

    row = service_client(county_centre())
    token = token_for(row)
    assert bearer(token).get("/api/v1/disputes/").status_code == 200
    AccessToken.objects.get(token=token).revoke()
    assert bearer(token).get("/api/v1/disputes/").status_code == 401


def test_every_call_is_logged_with_client_user_endpoint_and_status(demo):
    row = service_client(county_centre())
    client = bearer(token_for(row))
    answer = client.get("/api/v1/disputes/")
    # Personal data: never kept by a cache (ASVS 14.3.2), as for the pages.
    assert "no-store" in answer["Cache-Control"]
    client.get("/api/v1/disputes/987654/")
    Client().get("/api/v1/petitions/")
    calls = list(ApiCall.objects.order_by("pk").values_list("client_id", "user_id", "endpoint", "status"))
    assert calls[0] == (row.pk, row.user.pk, "api:disputes", 200)
    assert calls[1] == (row.pk, row.user.pk, "api:dispute", 404)
    assert calls[2][0] is None and calls[2][2] == "api:petitions" and calls[2][3] in (401, 403)


@override_settings(API_THROTTLE_RATE="3/minute")
def test_throttling_is_per_client(demo):
    caches["api"].clear()
    first = bearer(token_for(service_client(county_centre(), system="one")))
    second = bearer(token_for(service_client(county_centre(), system="two")))
    answers = [first.get("/api/v1/warnings/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert second.get("/api/v1/warnings/").status_code == 200
    caches["api"].clear()


def test_the_command_sets_up_a_client_that_gets_a_token(demo):
    import io
    import re

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "create_api_client", unit="诸暨市综治中心", system="zhuji-12345", scopes="read intake", stdout=out
    )
    client_id, secret = re.findall(r"client_(?:id|secret)=(\S+)", out.getvalue())
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    answer = Client().post("/api/v1/oauth/token/", {"grant_type": "client_credentials"},
                           HTTP_AUTHORIZATION=f"Basic {basic}")  # fmt: skip
    assert answer.status_code == 200 and set(answer.json()["scope"].split()) == {"read", "intake"}


def test_the_admin_revokes_every_token_of_a_client(demo):
    from accounts.models import User

    row = service_client(county_centre())
    tokens = [token_for(row), token_for(row)]
    admin = User.objects.create_superuser("root-api", password="x" * 12)
    site = Client()
    site.force_login(admin)
    answer = site.post(
        "/admin/api/apiclient/", {"action": "revoke_tokens", "_selected_action": [row.pk]}, follow=True
    )
    assert answer.status_code == 200 and "已吊销 2 个令牌" in answer.content.decode()
    assert all(bearer(t).get("/api/v1/disputes/").status_code == 401 for t in tokens)
