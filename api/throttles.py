"""Throttling per client: a token's application, else the signed-in user, else the address. The
counters live in the "api" cache (Redis when configured, so every web process shares them)."""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from api.auth import token_of


class PerClientThrottle(SimpleRateThrottle):
    scope = "client"

    def __init__(self):
        self.cache = caches["api"]
        super().__init__()

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        token = token_of(request)
        if token is not None:
            ident = f"app{token.application_id}"
        elif request.user and request.user.is_authenticated:
            ident = f"user{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
