"""What every API view shares: the scope it needs, cursor pagination, refusals documented."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.views import APIView


class ApiView(APIView):
    required_scope = "read"


class Cursor(CursorPagination):
    """Newest first by id: stable under inserts, no page counts over a whole county."""

    ordering = "-id"
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_cursor_message = _("Invalid cursor")

    def decode_cursor(self, request):
        # DRF answers a cursor it cannot read with 404; it is a bad parameter, not a missing page.
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [str(self.invalid_cursor_message)]}) from exc


def page(view, request, queryset, present):
    paginator = Cursor()
    rows = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response([present(row) for row in rows])


class ErrorOut(serializers.Serializer):
    detail = serializers.CharField()


ERRORS = {
    401: OpenApiResponse(ErrorOut, description="No or an expired token / no session."),
    403: OpenApiResponse(ErrorOut, description="Role, relation or token scope does not allow it."),
    429: OpenApiResponse(ErrorOut, description="Too many calls from this client."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorOut, description="No such object, or not within your view.")}
INVALID = {400: OpenApiResponse(description="Per-field messages: {field: [message, …]}.")}


def form_parameters(form_class) -> list[OpenApiParameter]:
    """The list page's filter form's fields as query parameters (all strings, as in an address);
    read from the class: building the form reverses URLs, which import time cannot."""
    return [
        OpenApiParameter(name, str, required=False, description=str(field.label or name))
        for name, field in form_class.base_fields.items()
    ]


def form_filters(form_class, data, **kwargs) -> dict:
    """The cleaned filters of a list form, or a 400 with its messages (nothing listed)."""
    form = form_class(data, **kwargs)
    if not form.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
    return form.cleaned_data
