"""POST /api/v1/intake/: a 12345 work order or a grid event (api.intake)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.intake import IntakeInvalid, take_in
from api.serializers import IntakeIn, IntakeOut
from api.views.base import ERRORS, INVALID, ApiView


class Intake(ApiView):
    required_scope = "intake"

    @extend_schema(
        summary="Take in a 12345 work order or grid event (idempotent per external id)",
        request=IntakeIn,
        responses={201: IntakeOut, 200: IntakeOut, **INVALID, **ERRORS},
    )
    def post(self, request):
        client = getattr(request._request, "api_client", None)
        if client is None:
            # Intake is keyed by the sending system: only a client has one (not a session).
            raise PermissionDenied(_("Only an external system's client may post work orders."))
        shape = IntakeIn(data=request.data)
        shape.is_valid(raise_exception=True)
        try:
            case, created = take_in(client, shape.validated_data)
        except IntakeInvalid as exc:
            raise ValidationError(exc.errors) from exc
        body = {
            "id": case.pk,
            "number": case.number,
            "status": case.status,
            "external_id": shape.validated_data["external_id"],
            "created": created,
        }
        return Response(body, status=201 if created else 200)
