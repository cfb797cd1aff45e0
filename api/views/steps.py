"""Workflow steps through the one declaration the pages use (cases.transitions.Step): the step's
check (role, relation, state), its form, its execute — the API can do what the caller could do in
the browser and nothing else. Refusals: 403 (role, relation), 409 (state), 400 (form), 404."""

import functools

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.scoping_case import visible_case_or_404
from api.views.base import ERRORS, INVALID, NOT_FOUND, ApiView, ErrorOut
from cases.transitions import status_label
from mediation.models import Dispute
from mediation.workflow import TRANSITIONS as DISPUTE_STEPS
from petitions.models import Petition
from petitions.workflow import TRANSITIONS as PETITION_STEPS

StepOut = inline_serializer(
    "StepOut",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "status_label": serializers.CharField(),
    },
)
StepBody = inline_serializer(
    "StepBody",
    {"reason": serializers.CharField(required=False, help_text="The step's form fields, as on its page.")},
)


def form_data(body) -> dict:
    """The JSON body as form data: null and absent alike, everything else as sent."""
    if not isinstance(body, dict):
        raise ValidationError({"detail": [_("The body must be a JSON object.")]})
    return {k: ("" if v is None else v) for k, v in body.items()}


@functools.cache
def _with_region(model):
    """The case type's queryset for its steps, one function per type (the key of its compiled
    statement, accounts.scoping_case)."""
    return lambda: model.objects.select_related("region")


def run_step(request, model, workflow, pk, name):
    case = visible_case_or_404(request.user, _with_region(model), pk)
    step = workflow.get(name)
    if step is None:
        raise Http404
    # The page's own check: a missing role or relation is 403, a state that moved on 409.
    step.check(case, request.user)
    form = step.form(form_data(request.data), user=request.user, case=case)
    if not form.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
    # TransitionError / TransitionConflict / PermissionDenied: api.errors answers 400 / 409 / 403.
    step.execute(case.pk, request.user, form.cleaned_data)
    fresh = model.objects.get(pk=case.pk)
    return Response({"id": fresh.pk, "status": fresh.status, "status_label": str(status_label(fresh))})


def _schema(workflow):
    names = sorted(name for name, s in workflow.items() if s.form_class is not None)
    return {**SCHEMA, "parameters": [OpenApiParameter("step", str, OpenApiParameter.PATH, enum=names)]}


SCHEMA = {
    "request": StepBody,
    "responses": {
        200: StepOut,
        **INVALID,
        **NOT_FOUND,
        **ERRORS,
        409: OpenApiResponse(ErrorOut, description="The case's state does not allow this step now."),
    },
}


class DisputeStep(ApiView):
    required_scope = "workflow"

    @extend_schema(
        summary="Take a step of the dispute workflow (mediation.workflow)", **_schema(DISPUTE_STEPS)
    )
    def post(self, request, pk, step):
        return run_step(request, Dispute, DISPUTE_STEPS, pk, step)


class PetitionStep(ApiView):
    required_scope = "workflow"

    @extend_schema(
        summary="Take a step of the petition workflow (petitions.workflow)", **_schema(PETITION_STEPS)
    )
    def post(self, request, pk, step):
        return run_step(request, Petition, PETITION_STEPS, pk, step)
