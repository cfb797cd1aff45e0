"""The log of every API call (client, user, endpoint, status), written after the answer. The
personal-data views themselves are recorded like the pages' (cases.pii.party_views)."""

import logging

from django.urls import resolve
from django.urls.exceptions import Resolver404

log = logging.getLogger(__name__)
PREFIX = "/api/"


class ApiCallLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PREFIX):
            try:
                _record(request, response)
            except Exception:  # noqa: BLE001 - a log that cannot be written must not lose the answer
                log.exception("API call not logged: %s %s", request.method, request.path)
        return response


def _record(request, response):
    from api.models import ApiCall

    try:
        endpoint = resolve(request.path_info).view_name or ""
    except Resolver404:
        endpoint = ""
    # DRF sets the authenticated user (the service user of a client) on the Django request too.
    user = getattr(request, "user", None)
    client = getattr(request, "api_client", None)
    ApiCall.objects.create(
        client=client,
        user=user if user is not None and user.is_authenticated else None,
        method=request.method[:10],
        path=request.path[:200],
        endpoint=endpoint[:80],
        status=response.status_code,
    )
