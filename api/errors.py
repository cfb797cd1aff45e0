"""Refusals as JSON with the Chinese message the pages show: a workflow's conflict is 409, its other
refusals 400 (beside the field when it names one), a role or relation 403, a foreign case 404."""

from django.core.exceptions import PermissionDenied
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from cases.transitions import TransitionConflict, TransitionError


def exception_handler(exc, context):
    if isinstance(exc, TransitionConflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, TransitionError):
        if exc.field:
            return Response({exc.field: [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied) and not exc.args:
        from django.utils.translation import gettext as _

        exc = PermissionDenied(_("Your role does not allow this action."))
    return drf_handler(exc, context)
