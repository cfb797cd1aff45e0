"""Who is calling: an external system with an OAuth2 client-credentials token (the service user of
its unit), or a signed-in member of staff with their session. Either way the call runs as a user, so
accounts.scoping and the roles decide what it sees and does, exactly as in the browser."""

from django.utils.translation import gettext as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken
from oauth2_provider.scopes import SettingsScopes
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission


def client_of(application):
    """The ApiClient of an OAuth2 application, or None (not bound, or switched off)."""
    from api.models import ApiClient

    if application is None:
        return None
    client = ApiClient.objects.filter(application_id=application.pk).first()
    return client if client is not None and client.is_active else None


class ClientTokenAuthentication(OAuth2Authentication):
    """A bearer token of an active ApiClient: the call runs as the application's service user."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _user, token = result
        client = client_of(token.application)
        service = token.application.user if client else None
        if service is None or not service.is_active:
            raise AuthenticationFailed(_("This client may not use the API."))
        request._request.api_client = client
        return service, token


class StaffSessionAuthentication(SessionAuthentication):
    """The signed-in user's session (CSRF checked, as for the pages)."""


def token_of(request):
    return request.auth if isinstance(request.auth, AccessToken) else None


class HasScope(BasePermission):
    """A token must carry the view's scope (``required_scope``, "read" by default); a session user
    has no scopes: their roles alone decide, as on the pages."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        token = token_of(request)
        if token is None:
            return True
        scope = getattr(view, "required_scope", "read")
        if token.allow_scopes([scope]):
            return True
        self.message = _("This client's token does not carry the “%(scope)s” scope.") % {"scope": scope}
        return False


class ClientScopes(SettingsScopes):
    """A client is given only the scopes its ApiClient row lists (none when it is switched off)."""

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        client = client_of(application)
        return client.scope_list() if client else []

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)
