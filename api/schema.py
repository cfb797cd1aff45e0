"""How the OpenAPI schema names the two ways in (loaded by ApiConfig.ready)."""

from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ClientTokenAuthentication"
    name = "client"

    def get_security_definition(self, auto_schema):
        from django.conf import settings

        return {
            "type": "oauth2",
            "description": "OAuth2 client credentials: one client per external system and unit.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": reverse("api:token"),
                    "scopes": settings.OAUTH2_PROVIDER["SCOPES"],
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        return {self.name: [getattr(auto_schema.view, "required_scope", "read")]}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.StaffSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
