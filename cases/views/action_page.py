"""The page behind every "next step" button, for any case type: role check, form, transition,
Chinese errors on refusal, back to the case on success."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from cases.transitions import TransitionError


def action_page(request, case, action, *, actions, transitions, detail_name, list_name):
    if action not in actions or action not in transitions:
        raise PermissionDenied
    spec, transition = actions[action], transitions[action]
    if not (request.user.is_superuser or roles.has_role(request.user, *transition.roles)):
        raise PermissionDenied
    kwargs = {"user": request.user, "case": case} if spec.form_needs_case else {}
    form = spec.form_class(request.POST if request.method == "POST" else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            spec.handler(case.pk, request.user, form.cleaned_data)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
            return redirect(detail_name, pk=case.pk)
    return render(request, "cases/case_action.html", {
        "case": case, "form": form, "transition": transition, "spec": spec,
        "cancel_url": reverse(detail_name, args=[case.pk]), "list_url": reverse(list_name),
    })  # fmt: skip
