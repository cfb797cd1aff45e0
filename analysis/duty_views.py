"""Key-person and 包案 pages: thin — check the role (403) and the one rule (404), record the view,
call one declared step (analysis.duties)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import (
    get_visible_warning_or_404,
    may_use_key_persons,
    visible_cases,
    visible_key_persons,
    visible_responsibilities,
)
from analysis import duty_selectors as selectors
from analysis.duties import KEY_PERSON_STEPS, RESPONSIBILITY_STEPS, assign, list_key_person
from analysis.duty_forms import KeyPersonForm, ResponsibilityForm
from analysis.duty_models import KeyPerson, KeyPersonReason, Responsibility, ResponsibilityStatus
from analysis.duty_units import may_put_case_under_leader
from analysis.models import EarlyWarning, RuleKind
from cases.models import Case, CaseParty, PartyRole
from cases.transitions import TransitionError
from cases.views.action_page import action_page

# The warnings a person can be listed from, and the reason they suggest.
LISTABLE = {RuleKind.REPEAT_PERSON: KeyPersonReason.REPEAT, RuleKind.RETURNING: KeyPersonReason.FINALISED}


def _register_user(user):
    if not may_use_key_persons(user):
        raise PermissionDenied(_("The key-person register is open to supervisors and petition staff only."))


def _key_person_or_404(user, pk):
    kp = (
        visible_key_persons(user, KeyPerson.objects.select_related("unit", "responsible"))
        .filter(pk=pk)
        .first()
    )
    if kp is None:
        raise Http404
    return kp


@login_required
def key_person_list_view(request):
    _register_user(request.user)
    page = Paginator(selectors.key_persons_for(request.user), 30).get_page(request.GET.get("page"))
    selectors.record_views(request.user, page.object_list, "key_person_list")
    return render(request, "analysis/key_person_list.html", {"page": page, "today": timezone.localdate()})


@login_required
def key_person_detail_view(request, pk):
    _register_user(request.user)
    kp = _key_person_or_404(request.user, pk)
    selectors.record_views(request.user, [kp], "key_person")
    return render(
        request,
        "analysis/key_person_detail.html",
        {
            "kp": kp,
            "steps": KEY_PERSON_STEPS.offered(kp, request.user),
            "cases": selectors.cases_of(request.user, kp),
            "responsibilities": visible_responsibilities(
                request.user, kp.responsibilities.select_related("leader")
            ),
            "events": kp.events.select_related("actor"),
        },
    )


@login_required
def key_person_action_view(request, pk, action):
    _register_user(request.user)
    kp = _key_person_or_404(request.user, pk)
    return action_page(
        request,
        kp,
        action,
        workflow=KEY_PERSON_STEPS,
        detail_name="analysis:key_person",
        list_name="analysis:key_persons",
        template="analysis/duty_action.html",
    )


def _source(user, source, pk):
    """(person id, name, reason, warning) of the person to list, or 404."""
    if source == "warning":
        warning = get_visible_warning_or_404(user, EarlyWarning.objects.all(), pk=pk)
        _register_user(user)
        if warning.kind not in LISTABLE:
            raise Http404
        kind, _sep, ref = warning.pattern_key.partition(":")
        links = CaseParty.objects.filter(is_organisation=False)
        if kind == "repeat":
            links = links.filter(person_id=int(ref), case__in=warning.evidence.all())
        else:  # returning:<petition>: its petitioner
            links = links.filter(case_id=int(ref), role=PartyRole.PETITIONER)
        seen = (
            links.filter(case__in=visible_cases(user, Case.objects.all()))
            .order_by("-case__opened_at")
            .first()
        )
        link = seen or links.first()
        if link is None:
            raise Http404
        return link.person_id, seen.name if seen else "", LISTABLE[warning.kind], warning
    link = CaseParty.objects.filter(pk=pk, is_organisation=False).first()
    if link is None or not visible_cases(user, Case.objects.filter(pk=link.case_id)).exists():
        raise Http404
    return link.person_id, link.name, KeyPersonReason.REPEAT, None


@login_required
def key_person_new_view(request, source, pk):
    # From a warning: the warning first (404 as for any warning the user may not see), then the role
    # (_source); from the look-up: the role first, as on the register's own pages.
    if source == "party":
        _register_user(request.user)
    person_id, name, reason, warning = _source(request.user, source, pk)
    initial = {"name": name, "reason": reason, "unit": request.user.unit_id, "responsible": request.user.pk}
    form = KeyPersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            kp = list_key_person(request.user, person_id=person_id, warning=warning, **form.cleaned_data)
        except TransitionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Listed as a key person."))
            return redirect("analysis:key_person", pk=kp.pk)
    return render(
        request,
        "analysis/duty_form.html",
        {
            "form": form,
            "title": _("List as a key person"),
            "warning": warning,
            "cancel_url": reverse("analysis:detail", args=[warning.pk])
            if warning
            else reverse("people:lookup"),
        },
    )


def _responsibility_or_404(user, pk):
    queryset = Responsibility.objects.select_related("case", "key_person", "leader", "unit", "created_by")
    r = visible_responsibilities(user, queryset).filter(pk=pk).first()
    if r is None:
        raise Http404
    return r


@login_required
def responsibility_list_view(request):
    mine = request.GET.get("all") != "1"
    status = request.GET.get("status", ResponsibilityStatus.OPEN)
    rows = selectors.responsibilities_for(request.user, mine=mine, status=status)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "analysis/responsibility_list.html",
        {
            "page": page,
            "rows": [(r, selectors.due_state(r.due_on, today)) for r in page.object_list],
            "mine": mine,
            "status": status,
            "statuses": ResponsibilityStatus.choices,
        },
    )


@login_required
def responsibility_detail_view(request, pk):
    r = _responsibility_or_404(request.user, pk)
    case_visible = r.case_id and visible_cases(request.user, Case.objects.filter(pk=r.case_id)).exists()
    kp_visible = (
        r.key_person_id
        and visible_key_persons(request.user, KeyPerson.objects.filter(pk=r.key_person_id)).exists()
    )
    if kp_visible:
        selectors.record_views(request.user, [r.key_person], "baoan")
    return render(
        request,
        "analysis/responsibility_detail.html",
        {
            "r": r,
            "steps": RESPONSIBILITY_STEPS.offered(r, request.user),
            "case_visible": case_visible,
            "kp_visible": kp_visible,
            "staff": r.staff.all(),
            "events": r.events.select_related("actor"),
            "due": selectors.due_state(r.due_on, timezone.localdate())
            if r.status == ResponsibilityStatus.OPEN
            else "",
        },
    )


@login_required
def responsibility_action_view(request, pk, action):
    r = _responsibility_or_404(request.user, pk)
    return action_page(
        request,
        r,
        action,
        workflow=RESPONSIBILITY_STEPS,
        detail_name="analysis:baoan",
        list_name="analysis:baoan_list",
        template="analysis/duty_action.html",
    )


@login_required
def case_responsibility_view(request, pk):
    """Put a case under a leader (包案): supervisors, on a case they see."""
    case = visible_cases(request.user, Case.objects.all()).filter(pk=pk).first()
    if case is None:
        raise Http404
    if not may_put_case_under_leader(request.user):
        raise PermissionDenied
    current = visible_responsibilities(
        request.user, Responsibility.objects.filter(case_id=case.pk, status=ResponsibilityStatus.OPEN)
    ).first()
    if current is not None:
        # The case page's button leads here whether or not the case is under a leader already.
        messages.info(request, _("This is already under a leader's responsibility."))
        return redirect("analysis:baoan", pk=current.pk)
    form = ResponsibilityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            r = assign(request.user, case_pk=case.pk, **form.cleaned_data)
        except TransitionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Put under a leader (包案)."))
            return redirect("analysis:baoan", pk=r.pk)
    detail = "petitions:detail" if case.kind == "petition" else "disputes:detail"
    return render(
        request,
        "analysis/duty_form.html",
        {
            "form": form,
            "title": _("Put case %(number)s under a leader (包案)") % {"number": case.number},
            "cancel_url": reverse(detail, args=[case.pk]),
        },
    )
