"""Set up an external system's client: a service user in the unit (with the roles the calls
need), its OAuth2 application (client credentials) and the ApiClient row. Prints the client id and
the secret once: the toolkit stores the secret hashed, so it cannot be shown again."""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from oauth2_provider.models import Application

from accounts import roles
from accounts.models import Unit, User
from api.models import SCOPES, ApiClient, ClientKind


class Command(BaseCommand):
    help = "Create an API client (OAuth2 client credentials) bound to a service user of a unit."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="The unit's exact name, e.g. 诸暨市综治中心")
        parser.add_argument("--system", required=True, help="The system's code, e.g. zhuji-12345")
        parser.add_argument("--kind", default=ClientKind.HOTLINE, choices=ClientKind.values)
        parser.add_argument("--scopes", default="read intake", help="Space-separated: read intake workflow")
        parser.add_argument(
            "--roles", default=roles.GRID_WORKER, help="Comma-separated roles of the service user"
        )

    def handle(self, *args, unit, system, kind, scopes, roles: str, **options):
        from accounts import roles as role_names

        found = Unit.objects.filter(name=unit, is_active=True).first()
        if found is None:
            raise CommandError(f"No active unit named {unit}")
        wanted = [r.strip() for r in roles.split(",") if r.strip()]
        if unknown := [r for r in wanted if r not in role_names.ALL_ROLES]:
            raise CommandError(f"Unknown roles: {unknown}")
        if unknown := [s for s in scopes.split() if s not in SCOPES]:
            raise CommandError(f"Unknown scopes: {unknown}")
        secret = secrets.token_urlsafe(32)
        with transaction.atomic():
            user = User.objects.create(username=f"api-{system}", unit=found, display_name=f"{system} 接口")
            user.set_unusable_password()  # a service user never signs in to the pages
            user.save()
            role_names.set_roles(user, wanted)
            app = Application.objects.create(
                name=system, user=user, client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS, client_secret=secret,
            )  # fmt: skip
            client = ApiClient(application=app, system=system, kind=kind, scopes=scopes)
            client.full_clean()
            client.save()
        self.stdout.write(f"client_id={app.client_id}\nclient_secret={secret}\n")
