"""Supervision orders (督办单), early warnings and the monthly statistics, each read through the
function its pages use (supervision.orders, analysis.selectors, reporting.reports)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from accounts import roles
from accounts.scoping import get_visible_warning_or_404
from analysis.models import EarlyWarning, WarningStatus
from analysis.selectors import warnings_for
from api import present
from api.serializers import OrderOut, StatisticsOut, WarningOut
from api.views.base import ERRORS, INVALID, NOT_FOUND, ApiView, form_filters, page
from api.views.cases import CURSOR, paged
from reporting.forms import StatisticsForm
from reporting.reports import REPORT_ROLES, REPORTS, statistics_data
from supervision.orders import orders_for


def _orders(user):
    return orders_for(user).select_related("case", "issuing_unit", "target_unit")


class OrderList(ApiView):
    @extend_schema(
        operation_id="orders_list",
        summary="督办单 issued by or addressed to the caller's unit",
        parameters=CURSOR,
        responses={200: paged(OrderOut), **INVALID, **ERRORS},
    )
    def get(self, request):
        return page(self, request, _orders(request.user), present.order)


class OrderDetail(ApiView):
    @extend_schema(summary="One 督办单", responses={200: OrderOut, **NOT_FOUND, **ERRORS})
    def get(self, request, order_id):
        found = _orders(request.user).filter(pk=order_id).first()
        if found is None:
            raise Http404
        return Response(present.order(found))


STATUSES = ["", "open", *WarningStatus.values]


class WarningList(ApiView):
    @extend_schema(
        operation_id="warnings_list",
        summary="Early warnings the caller may see",
        parameters=[OpenApiParameter("status", str, enum=STATUSES, required=False), *CURSOR],
        responses={200: paged(WarningOut), **INVALID, **ERRORS},
    )
    def get(self, request):
        status = request.query_params.get("status", "")
        queryset = warnings_for(request.user, status=status if status in STATUSES else "")
        return page(self, request, queryset, present.warning)


class WarningDetail(ApiView):
    @extend_schema(summary="One early warning", responses={200: WarningOut, **NOT_FOUND, **ERRORS})
    def get(self, request, pk):
        queryset = EarlyWarning.objects.select_related("region", "unit")
        return Response(present.warning(get_visible_warning_or_404(request.user, queryset, pk=pk)))


class Statistics(ApiView):
    @extend_schema(
        summary="A monthly report (petitions or mediation) as the statistics page computes it",
        parameters=[
            OpenApiParameter(
                "region", str, required=False, description="Region code (default: the caller's)"
            ),
            OpenApiParameter("month", str, required=False, description="YYYY-MM"),
            OpenApiParameter("start", str, required=False, description="First day, YYYY-MM-DD"),
            OpenApiParameter("end", str, required=False, description="Last day, YYYY-MM-DD"),
        ],
        responses={200: StatisticsOut, **INVALID, **NOT_FOUND, **ERRORS},
    )
    def get(self, request, slug):
        report = REPORTS.get(slug)
        if report is None:
            raise Http404
        if not (request.user.is_superuser or roles.has_role(request.user, *REPORT_ROLES)):
            raise PermissionDenied
        params = request.query_params
        if any(params.get(k) for k in ("region", "month", "start", "end")):
            data = form_filters(StatisticsForm, params, user=request.user)
        else:
            data = StatisticsForm(user=request.user).clean_defaults()
        if data["region"] is None:
            raise PermissionDenied
        return Response(
            present.statistics(report, statistics_data(request.user, report, data["region"], data["period"]))
        )
