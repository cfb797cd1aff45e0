"""Key persons and 包案: the steps, declared once like the warning lifecycle (analysis.workflow:
who, from which states, label, form, the relation needed), and one function per step. Each locks
its row, checks visibility (404), role and relation (403) and state (conflict), changes it, writes
its timeline entry and tells the responsible person, the leader and the working staff in one
transaction.

Listing a person (from a repeat-person or finalised-returns warning, or from the person look-up)
and putting a case under a leader are entries, not steps of an existing row; they follow the same
order of checks.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from accounts.scoping import may_use_key_persons, visible_cases, visible_key_persons, visible_responsibilities
from analysis.duty_forms import ConcludeForm, RemoveForm, ResponsibilityForm, ReviewForm
from analysis.duty_models import (
    KeyPerson,
    KeyPersonEvent,
    KeyPersonStatus,
    Responsibility,
    ResponsibilityEvent,
    ResponsibilityStatus,
)
from analysis.duty_units import (
    leader_choices,
    listing_units,
    may_conclude,
    may_put_case_under_leader,
    oversees_key_person,
    staff_choices,
    works_on_key_person,
)
from cases.models import Case
from cases.timeline import record
from cases.transitions import (
    TransitionConflict,
    TransitionError,
    Workflow,
    check_actor,
    conflict_message,
    step,
)
from supervision.models import Notification, NotificationKind

K, R = KeyPersonStatus, ResponsibilityStatus
SUP, CLERK = roles.SUPERVISOR, roles.PETITION_CLERK

KEY_PERSON_STEPS = Workflow(
    [
        step(
            "review",
            _l("record a review"),
            {K.ACTIVE},
            None,
            {SUP, CLERK},
            ReviewForm,
            lambda pk, u, d: review(pk, u, note=d["note"], review_on=d["review_on"]),
            guard=works_on_key_person,
        ),
        step(
            "baoan",
            _l("put under a leader (包案)"),
            {K.ACTIVE},
            None,
            {SUP},
            ResponsibilityForm,
            lambda pk, u, d: assign(u, key_person_pk=pk, **d),
            form_needs_case=True,
            guard=oversees_key_person,
        ),
        step(
            "remove",
            _l("remove from the register"),
            {K.ACTIVE},
            K.REMOVED,
            {SUP},
            RemoveForm,
            lambda pk, u, d: remove(pk, u, note=d["note"]),
            guard=oversees_key_person,
            confirm=_l("Remove this person from the key-person register?"),
        ),
    ]
)

RESPONSIBILITY_STEPS = Workflow(
    [
        step(
            "conclude",
            _l("conclude"),
            {R.OPEN},
            R.CLOSED,
            {SUP},
            ConcludeForm,
            lambda pk, u, d: conclude(pk, u, outcome=d["outcome"]),
            guard=may_conclude,
        ),
    ]
)


def tell(users, actor, *, title: str, body: str, link: str, case_ids=()) -> None:
    """In-app hand-off notices to ``users`` (never the actor); a notice naming a case carries it, so
    the notification centre stops showing it to a reader who may no longer see the case."""
    receivers = {u.pk for u in users if u is not None and u.is_active} - {getattr(actor, "pk", None)}
    case_ids = list(case_ids)
    Notification.objects.bulk_create(
        Notification(
            user_id=pk,
            title=title[:200],
            body=body,
            kind=NotificationKind.HANDOFF,
            link=link,
            action="baoan" if "baoan" in link else "key_person",
            case_ids=case_ids,
            case_id=case_ids[0] if case_ids else None,
        )
        for pk in sorted(receivers)
    )


def _locked(model, visible, transition, pk, actor):
    if not visible(actor, model.objects.filter(pk=pk)).exists():
        raise Http404
    row = model.objects.select_for_update().select_related("unit").get(pk=pk)
    check_actor(transition, row, actor)
    if not transition.allows(row.status):
        raise TransitionConflict(conflict_message(row, transition))
    return row


# Key persons -------------------------------------------------------------------------------------


def key_person_url(kp) -> str:
    return reverse("analysis:key_person", args=[kp.pk])


def list_key_person(
    actor,
    *,
    person_id: int,
    name: str,
    reason: str,
    note: str,
    unit,
    responsible,
    review_on: datetime.date,
    warning=None,
) -> KeyPerson:
    """Put a person on ``unit``'s register (重点人员) and tell the responsible person."""
    if not may_use_key_persons(actor):
        raise PermissionDenied(_("Your role does not allow this action."))
    if not listing_units(actor).filter(pk=unit.pk).exists():
        raise TransitionError(_("Choose your unit or a unit below it."), field="unit")
    if not staff_choices(actor, key_persons=True).filter(pk=responsible.pk, unit_id=unit.pk).exists():
        raise TransitionError(
            _("The responsible person must work in the responsible unit."), field="responsible"
        )
    try:
        with transaction.atomic():
            kp = KeyPerson.objects.create(
                person_id=person_id,
                name=name,
                reason=reason,
                note=note,
                unit=unit,
                responsible=responsible,
                review_on=review_on,
                warning=warning,
                created_by=actor,
            )
            KeyPersonEvent.objects.create(
                key_person=kp,
                actor=actor,
                action="list",
                description=str(_("listed")),
                after={"unit": unit.name, "reason": reason},
            )
            tell(
                [responsible],
                actor,
                title=_("Key person to watch: %(name)s") % {"name": name},
                body=_("Review by %(date)s.") % {"date": review_on.isoformat()},
                link=key_person_url(kp),
            )
    except IntegrityError as exc:
        raise TransitionError(_("This person is already on the register of that unit.")) from exc
    return kp


def review(pk, actor, *, note: str, review_on: datetime.date) -> KeyPerson:
    with transaction.atomic():
        kp = _locked(KeyPerson, visible_key_persons, KEY_PERSON_STEPS["review"], pk, actor)
        kp.review_on = review_on
        kp.save(update_fields=["review_on"])
        KeyPersonEvent.objects.create(
            key_person=kp,
            actor=actor,
            action="review",
            description=note[:300],
            after={"review_on": review_on.isoformat()},
        )
    return kp


def remove(pk, actor, *, note: str) -> KeyPerson:
    with transaction.atomic():
        kp = _locked(KeyPerson, visible_key_persons, KEY_PERSON_STEPS["remove"], pk, actor)
        kp.status = K.REMOVED
        kp.save(update_fields=["status"])
        KeyPersonEvent.objects.create(key_person=kp, actor=actor, action="remove", description=note[:300])
        tell(
            [kp.responsible],
            actor,
            title=_("Removed from the key-person register: %(name)s") % {"name": kp.name},
            body=note,
            link=key_person_url(kp),
        )
    return kp


# 包案 --------------------------------------------------------------------------------------------


def responsibility_url(r) -> str:
    return reverse("analysis:baoan", args=[r.pk])


def assign(actor, *, leader, unit, staff, due_on, duty, case_pk=None, key_person_pk=None) -> Responsibility:
    """Put a case or a key person under ``leader`` (包案, 五定) and tell the leader and the staff."""
    with transaction.atomic():
        if key_person_pk is not None:
            _locked(KeyPerson, visible_key_persons, KEY_PERSON_STEPS["baoan"], key_person_pk, actor)
            subject = {"key_person_id": key_person_pk}
        else:
            if not visible_cases(actor, Case.objects.filter(pk=case_pk)).exists():
                raise Http404
            if not may_put_case_under_leader(actor):
                raise PermissionDenied(_("Your role does not allow this action."))
            case = Case.objects.select_for_update().get(pk=case_pk)
            if case.closed_at is not None:
                raise TransitionConflict(_("The case is closed."))
            subject = {"case_id": case_pk}
        if not leader_choices(actor).filter(pk=leader.pk).exists():
            raise TransitionError(_("Choose a supervisor of your unit or a unit below it."), field="leader")
        if not listing_units(actor).filter(pk=unit.pk).exists():
            raise TransitionError(_("Choose your unit or a unit below it."), field="unit")
        staff = list(staff)
        allowed = set(staff_choices(actor).filter(pk__in=[u.pk for u in staff]).values_list("pk", flat=True))
        if any(u.pk not in allowed for u in staff):
            raise TransitionError(_("Choose staff of your unit or of units below it."), field="staff")
        if Responsibility.objects.filter(status=R.OPEN, **subject).exists():
            raise TransitionConflict(_("This is already under a leader's responsibility."))
        r = Responsibility.objects.create(
            leader=leader, unit=unit, due_on=due_on, duty=duty, created_by=actor, **subject
        )
        r.staff.set(staff)
        ResponsibilityEvent.objects.create(
            responsibility=r,
            actor=actor,
            action="assign",
            description=str(_("put under a leader (包案)")),
            after={
                "leader": str(leader),
                "unit": unit.name,
                "due_on": due_on.isoformat(),
                "staff": [str(u) for u in staff],
            },
        )
        if r.key_person_id:
            KeyPersonEvent.objects.create(
                key_person_id=r.key_person_id,
                actor=actor,
                action="baoan",
                description=_("Put under %(leader)s (包案)") % {"leader": leader},
                after={"responsibility": r.pk},
            )
        if r.case_id:
            record(
                r.case,
                actor,
                "baoan",
                _("Put under %(leader)s (包案)") % {"leader": leader},
                after={"leader": str(leader), "due_on": due_on.isoformat()},
            )
        tell(
            [leader, *staff],
            actor,
            title=_("包案 assigned: %(subject)s") % {"subject": r.subject},
            body=_("Time limit %(date)s. %(duty)s") % {"date": due_on.isoformat(), "duty": duty},
            link=responsibility_url(r),
            case_ids=[r.case_id] if r.case_id else [],
        )
    return r


def conclude(pk, actor, *, outcome: str) -> Responsibility:
    with transaction.atomic():
        r = _locked(Responsibility, visible_responsibilities, RESPONSIBILITY_STEPS["conclude"], pk, actor)
        r.status, r.outcome, r.closed_at = R.CLOSED, outcome, timezone.now()
        r.save(update_fields=["status", "outcome", "closed_at"])
        ResponsibilityEvent.objects.create(
            responsibility=r, actor=actor, action="conclude", description=outcome[:300]
        )
        tell(
            [r.leader, *r.staff.all(), r.created_by],
            actor,
            title=_("包案 concluded: %(subject)s") % {"subject": r.subject},
            body=outcome,
            link=responsibility_url(r),
            case_ids=[r.case_id] if r.case_id else [],
        )
    return r
