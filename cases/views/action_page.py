"""The page behind every "next step" button, for any case type (and for an early warning, whose
steps are declared the same way: analysis.workflow): the step's declaration (role), its form, the
transition, Chinese errors on refusal, back to the case on success."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.transitions import TransitionError, Workflow


def action_page(
    request, case, action, *, workflow: Workflow, detail_name, list_name, template="cases/case_action.html"
):
    step = workflow.get(action)
    if step is None or step.form_class is None or not step.permits(request.user):
        raise PermissionDenied
    if not step.fits(case, request.user):
        # The step belongs to another unit (the receiving unit, the reviewing body …).
        raise PermissionDenied
    context = {"case": case, "step": step, "cancel_url": reverse(detail_name, args=[case.pk]),
               "list_url": reverse(list_name)}  # fmt: skip
    if request.method == "GET" and not step.allows(case.status):
        # Not on offer in this state: say so instead of showing a form that can only be refused.
        # (A form submitted after the state moved on gets perform's conflict message below.)
        try:
            step.check(case, request.user)
        except TransitionError as exc:
            return render(request, template, {**context, "conflict": str(exc)}, status=409)
    form = step.form(request.POST if request.method == "POST" else None, user=request.user, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            step.execute(case.pk, request.user, form.cleaned_data)
        except TransitionError as exc:
            # Beside the field it is about, when the refusal names one of the form's fields.
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": step.label})
            return redirect(detail_name, pk=case.pk)
    return render(request, template, {**context, "form": form})
