"""The warning lifecycle: raised → signed for (签收) by the responsible unit → handled (处置, with
notes and linked cases) → closed, and sending a warning down to a unit below (交办), which must then
sign for it. One table of steps (``cases.transitions.Step``, as the case types declare theirs: who,
from which states, label, form, the relation the step needs), one function per step through
``perform``, which locks the warning, checks visibility, role, relation and state, changes it,
writes its timeline entry and tells whoever must act next — all in one transaction.

Raising a warning (the scan's entry) is analysis.raising: it stores a finding once per open pattern
and tells the responsible unit in the same transaction.
"""

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from accounts.scoping import visible_cases, visible_warnings
from analysis.forms import AssignForm, CloseForm, HandleForm, SignForm
from analysis.models import EarlyWarning, WarningEvent, WarningStatus
from analysis.notices import tell
from analysis.raising import (  # noqa: F401 - the scan's entry, importable here too
    raise_warning,
    responsible_unit,
)
from analysis.units import is_responsible, may_close, may_send, send_targets
from cases.models import Case
from cases.transitions import (
    TransitionConflict,
    TransitionError,
    Workflow,
    check_actor,
    conflict_message,
    step,
)

S = WarningStatus
SUP = roles.SUPERVISOR
# Who works a warning in the responsible unit: anyone who works cases there, not the statistician.
WORKERS = {roles.SUPERVISOR, roles.MEDIATOR, roles.GRID_WORKER, roles.PETITION_CLERK, roles.HANDLER}
# At most this many cases are stored behind one warning (a county-wide surge has hundreds); the
# count stays in ``facts``.


def back_up(warning, actor):
    """Who hears that the responsible unit acted: the unit that sent it down."""
    return [warning.sent_by_unit], []


TRANSITIONS = Workflow([
    step("send", _l("send to a unit below"), {S.RAISED, S.SIGNED}, S.RAISED, {SUP}, AssignForm,
         lambda pk, u, d: send(pk, u, unit=d["unit"]), form_needs_case=True, guard=may_send,
         hands_to=lambda w, actor: ([w.unit], [])),
    step("sign", _l("sign for"), {S.RAISED}, S.SIGNED, WORKERS, SignForm,
         lambda pk, u, d: sign(pk, u, note=d.get("note", "")), guard=is_responsible, hands_to=back_up),
    step("handle", _l("record the handling"), {S.SIGNED}, S.HANDLED, WORKERS, HandleForm,
         lambda pk, u, d: handle(pk, u, handling=d["handling"], case_numbers=d.get("case_numbers", "")),
         guard=is_responsible, hands_to=back_up),
    step("close", _l("close"), {S.HANDLED}, S.CLOSED, {SUP}, CloseForm, lambda pk, u, d: close(pk, u, note=d["note"]),
         guard=may_close, confirm=_l("Close this warning? It leaves the open list."),
         hands_to=lambda w, actor: ([w.unit, w.sent_by_unit], [])),
])  # fmt: skip


def perform(transition, pk: int, actor, apply=None, *, description: str = "", details: dict | None = None):
    """Run one step on warning ``pk`` as ``actor``: Http404 when the actor may not see it,
    PermissionDenied for a missing role or relation, TransitionConflict when the state moved on."""
    with transaction.atomic():
        if not visible_warnings(actor, EarlyWarning.objects.filter(pk=pk)).exists():
            raise Http404
        warning = EarlyWarning.objects.select_for_update().select_related("region").get(pk=pk)
        check_actor(transition, warning, actor)
        if not transition.allows(warning.status):
            raise TransitionConflict(conflict_message(warning, transition))
        before = {"status": warning.status, "unit": str(warning.unit or "")}
        if apply is not None:
            apply(warning)
        if transition.target:
            warning.status = transition.target
        warning.save()
        WarningEvent.objects.create(
            warning=warning, actor=actor, action=transition.name, description=description or str(transition.label),
            before=before, after={"status": warning.status, "unit": str(warning.unit or ""), **(details or {})},
        )  # fmt: skip
        if transition.hands_to is not None:
            units, users = transition.hands_to(warning, actor)
            tell(warning, actor, title=str(transition.label), units=units, users=users)
    return warning


def send(pk, actor, *, unit):
    def apply(w):
        if not send_targets(w, actor).filter(pk=unit.pk).exists():
            raise TransitionError(_("Choose a unit below yours that sees this place."), field="unit")
        w.sent_by_unit_id, w.unit = actor.unit_id, unit

    return perform(TRANSITIONS["send"], pk, actor, apply, details={"to": unit.name})


def sign(pk, actor, *, note=""):
    def apply(w):
        w.signed_at, w.signed_by = timezone.now(), actor

    return perform(TRANSITIONS["sign"], pk, actor, apply, details={"note": note} if note else None)


def linked_cases(actor, case_numbers: str) -> list[Case]:
    """The cases named by number, each one the actor may see (the one rule); else a refusal that
    names the numbers not found, the same words for a foreign case as for a missing one."""
    numbers = [n for n in case_numbers.replace("，", ",").replace(",", " ").split() if n]
    found = {c.number: c for c in visible_cases(actor, Case.objects.filter(number__in=numbers))}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise TransitionError(
            _("No case you may see has the number %(numbers)s.") % {"numbers": "、".join(missing)},
            field="case_numbers",
        )
    return list(found.values())


def handle(pk, actor, *, handling: str, case_numbers: str = ""):
    if not handling.strip():
        raise TransitionError(_("Say what was done."), field="handling")
    cases = linked_cases(actor, case_numbers)

    def apply(w):
        w.handling, w.handled_at, w.handled_by = handling, timezone.now(), actor
        w.linked.add(*cases)

    details = {"handling": handling, "cases": [c.number for c in cases]}
    return perform(TRANSITIONS["handle"], pk, actor, apply, details=details)


def close(pk, actor, *, note: str):
    if not note.strip():
        raise TransitionError(_("Say why the warning can be closed."), field="note")

    def apply(w):
        w.closing_note, w.closed_at, w.closed_by = note, timezone.now(), actor

    return perform(TRANSITIONS["close"], pk, actor, apply, details={"note": note})
