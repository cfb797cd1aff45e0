"""Clients of the API in tests: an OAuth2 application bound to a service user of a unit, and a
bearer token for it (as the token endpoint would issue)."""

import datetime
import secrets

from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from accounts import roles
from accounts.models import Unit, User
from api.models import ApiClient, ClientKind, IntakeCategory
from mediation.models import DisputeCategory, RiskLevel

SECRET = "s3cret-for-tests-only-0123456789"


def service_client(unit: Unit, *, system="zhuji-12345", scopes="read intake workflow",
                   role_names=(roles.GRID_WORKER,), kind=ClientKind.HOTLINE) -> ApiClient:  # fmt: skip
    user = User.objects.create(username=f"api-{system}", unit=unit, display_name=f"{system} 接口")
    roles.set_roles(user, role_names)
    app = Application.objects.create(
        name=f"{system} system", user=user, client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS, client_secret=SECRET,
        client_id=f"client-{system}",
    )  # fmt: skip
    return ApiClient.objects.create(application=app, system=system, kind=kind, scopes=scopes)


def token_for(client: ApiClient, scopes: str | None = None, *, seconds=3600) -> str:
    token = AccessToken.objects.create(
        application=client.application, user=None, token=secrets.token_urlsafe(24),
        expires=timezone.now() + datetime.timedelta(seconds=seconds),
        scope=client.scopes if scopes is None else scopes,
    )  # fmt: skip
    return token.token


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def county_centre() -> Unit:
    return Unit.objects.get(name="诸暨市综治中心")


def map_category(kind=ClientKind.HOTLINE, code="A01"):
    return IntakeCategory.objects.create(
        kind=kind, external_code=code, external_label="邻里纠纷",
        category=DisputeCategory.objects.get(code="neighbour"), risk_level=RiskLevel.objects.get(code="yellow"),
    )  # fmt: skip
