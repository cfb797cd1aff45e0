"""Disputes and petitions: lists with the list pages' filters (cursor-paged), details with parties
masked as on the case pages; deadlines and timeline of any case. Every read passes accounts.scoping."""

from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from accounts.scoping import get_visible_case_or_404
from accounts.scoping_case import visible_case_or_404
from api import present
from api.serializers import CaseRow, DeadlineOut, DisputeDetail, PetitionDetail, TimelineOut
from api.views.base import ERRORS, INVALID, NOT_FOUND, ApiView, form_filters, form_parameters, page
from cases.models import Case, CaseKind
from cases.search import digest_token
from mediation.forms import DisputeFilterForm
from mediation.models import Dispute
from mediation.selectors import dispute_detail_queryset, dispute_list
from mediation.workflow import TRANSITIONS as DISPUTE_STEPS
from petitions.forms import PetitionFilterForm
from petitions.models import Petition
from petitions.selectors import petition_detail_queryset, petition_list
from petitions.workflow import TRANSITIONS as PETITION_STEPS

CURSOR = [
    OpenApiParameter("cursor", str, required=False, description="The cursor of the next/previous page."),
    OpenApiParameter("page_size", int, required=False, description="Rows per page, at most 100."),
]


_PAGED = {}


def paged(serializer):
    """The cursor page of a serializer's rows, one component per serializer."""
    if serializer not in _PAGED:
        _PAGED[serializer] = _paged(serializer)
    return _PAGED[serializer]


def _paged(serializer):
    return inline_serializer(
        name=f"Paged{serializer.__name__}",
        fields={
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True),
        },
    )


def list_query(params) -> QueryDict:
    """The list page's query: a whole ID number or phone in the search box searched by its keyed
    hash, exactly as cases.lists.filter_query does for the page."""
    data = params.copy()
    text = (data.get("q") or "").strip()
    if text and (token := digest_token(text)):
        del data["q"]
        data["party"] = token
    return data


class DisputeList(ApiView):
    @extend_schema(
        operation_id="disputes_list",
        summary="Disputes the caller may see, with the dispute list page's filters",
        parameters=[*form_parameters(DisputeFilterForm), *CURSOR],
        responses={200: paged(CaseRow), **INVALID, **ERRORS},
    )
    def get(self, request):
        filters = form_filters(DisputeFilterForm, list_query(request.query_params))
        queryset = dispute_list(request.user, filters)
        return page(self, request, queryset, lambda d: present.case_row(request.user, d))


class PetitionList(ApiView):
    @extend_schema(
        operation_id="petitions_list",
        summary="Petitions the caller may see, with the petition list page's filters",
        parameters=[*form_parameters(PetitionFilterForm), *CURSOR],
        responses={200: paged(CaseRow), **INVALID, **ERRORS},
    )
    def get(self, request):
        filters = form_filters(PetitionFilterForm, list_query(request.query_params))
        queryset = petition_list(request.user, filters)
        return page(self, request, queryset, lambda p: present.case_row(request.user, p))


class DisputeDetailView(ApiView):
    @extend_schema(
        summary="One dispute, parties masked as on its page",
        responses={200: DisputeDetail, **NOT_FOUND, **ERRORS},
    )
    def get(self, request, pk):
        dispute = visible_case_or_404(request.user, dispute_detail_queryset, pk)
        return Response(present.dispute_detail(request.user, dispute, DISPUTE_STEPS))


class PetitionDetailView(ApiView):
    @extend_schema(
        summary="One petition, parties masked as on its page",
        responses={200: PetitionDetail, **NOT_FOUND, **ERRORS},
    )
    def get(self, request, pk):
        petition = visible_case_or_404(request.user, petition_detail_queryset, pk)
        return Response(present.petition_detail(request.user, petition, PETITION_STEPS))


TYPES = {CaseKind.DISPUTE: Dispute, CaseKind.PETITION: Petition}


def visible_case(user, pk):
    """The case of either kind as its own type (its status labels), or 404."""
    case = get_visible_case_or_404(user, Case.objects.all(), pk=pk)
    model = TYPES.get(case.kind)
    return model.objects.get(pk=case.pk) if model else case


class CaseDeadlines(ApiView):
    @extend_schema(
        summary="The case's deadlines (due dates as the case page shows them)",
        responses={200: DeadlineOut(many=True), **NOT_FOUND, **ERRORS},
    )
    def get(self, request, pk):
        case = visible_case(request.user, pk)
        rows = case.deadlines.select_related("rule").order_by("due_at", "pk")
        return Response([present.deadline(d) for d in rows])


class CaseTimeline(ApiView):
    @extend_schema(
        summary="The case's timeline (names in it were masked when written)",
        responses={200: TimelineOut(many=True), **NOT_FOUND, **ERRORS},
    )
    def get(self, request, pk):
        case = visible_case(request.user, pk)
        rows = case.timeline.select_related("actor").order_by("at", "pk")
        return Response([present.timeline_entry(case, e) for e in rows])
