"""The machinery every workflow uses: each step declared once, and ``perform``, which locks the row,
checks state, role and jurisdiction, changes, and records one timeline entry in one transaction.

A workflow (mediation.workflow for disputes, petitions.workflow for petitions) is a ``Workflow`` of
``Step`` declarations — who may take the step, from which states, the button's label, the
confirmation, the form and the function that carries it out — plus one function per step that calls
``perform``. The one declaration draws the buttons on the case page, refuses a POST (the action page,
``check``), and drives the transition-matrix and access-matrix tests; an API calls ``execute``.
"""

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import has_role
from accounts.scoping_case import visible_case_or_404
from cases.deadlines import refresh_next_due
from cases.handoffs import hand_off
from cases.models import Case
from cases.timeline import record


class TransitionError(Exception):
    """A user-facing refusal: bad input or a rule of the workflow (message in Chinese). ``field``
    names the form field it is about, where the action page shows it (else above the form)."""

    def __init__(self, message="", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class TransitionConflict(TransitionError):
    """The case is no longer in a state that allows this (someone else acted first)."""


@dataclass(frozen=True)
class Step:
    """One step of a workflow, declared once."""

    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (a session, a note)
    roles: frozenset[str] = field(default_factory=frozenset)
    form_class: Any = None  # the form of the step's page; None: a step only code takes
    run: Callable | None = None  # run(case_id, actor, cleaned_data): the workflow function
    confirm: str = ""  # a question asked before an irreversible step
    form_needs_case: bool = False  # the form is built with user= and case= (unit choices …)
    # Who must act next: hands_to(case, actor) -> (units, users), told in the step's transaction
    # (cases.handoffs); None: nobody new must act.
    hands_to: Callable | None = None
    # The viewer's relation to the case that the step needs besides the role (the receiving unit for
    # an objection, the body one level above for a review): guard(case, user) -> bool.
    guard: Callable | None = None
    # The documents (their slugs) that exist once this step was taken: the case page links a document
    # only when a step that makes it lies on the case's timeline.
    documents: tuple[str, ...] = ()

    def allows(self, status: str) -> bool:
        return status in self.sources

    def permits(self, user) -> bool:
        return not self.roles or user.is_superuser or has_role(user, *self.roles)

    def fits(self, case, user) -> bool:
        """The viewer stands where the step needs them (receiving unit, reviewing body …)."""
        return user.is_superuser or self.guard is None or bool(self.guard(case, user))

    def offered(self, case, user) -> bool:
        """Whether the case page shows this step's button to ``user`` now."""
        return (
            self.form_class is not None
            and self.allows(case.status)
            and self.permits(user)
            and self.fits(case, user)
        )

    def check(self, case, user) -> None:
        """Refuse what the page would not offer: a missing role or relation (403) or a state that
        moved on (a conflict)."""
        if self.form_class is None or not self.permits(user):
            raise PermissionDenied(_("Your role does not allow this action."))
        if not self.allows(case.status):
            raise TransitionConflict(conflict_message(case, self))
        if not self.fits(case, user):
            raise PermissionDenied(_("This step belongs to another unit."))

    def form(self, data, *, user, case):
        kwargs = {"user": user, "case": case} if self.form_needs_case else {}
        return self.form_class(data, **kwargs)

    def execute(self, case_id: int, user, data: dict):
        """Carry the step out (``perform`` checks visibility, role and state again under the lock)."""
        return self.run(case_id, user, data)


# The name the workflows' functions use for a step they perform.
Transition = Step


# Each case type's workflow by its Case.kind, so code below the case type (a form, a review module)
# can ask which documents a case has without importing the module that holds the table.
_WORKFLOWS: dict[str, "Workflow"] = {}


class Workflow(Mapping):
    """A case type's steps by name, in the order the page shows them."""

    def __init__(self, steps, *, kind: str = "", after_change: Callable | None = None):
        self._steps = {step.name: step for step in steps}
        # after_change(case, actor, step, old_status): what a change of state brings on besides the
        # step's own work, whichever step made it (a dispute leaving mediation cancels its sessions
        # still arranged), in the step's transaction after its timeline entry (``perform``).
        self.after_change = after_change
        if kind:
            _WORKFLOWS[kind] = self

    def __getitem__(self, name: str) -> Step:
        return self._steps[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._steps)

    def __len__(self) -> int:
        return len(self._steps)

    def offered(self, case, user) -> list[Step]:
        """The steps the case page offers ``user`` now (the action page and perform check again)."""
        return [step for step in self._steps.values() if step.offered(case, user)]

    def documents_made(self, case) -> list[str]:
        """The documents that exist on ``case``: those of the steps on its timeline, in the order the
        table declares the steps (reads ``case.timeline.all()``, so a prefetch serves it)."""
        taken = {entry.action for entry in case.timeline.all()}
        return [slug for step in self._steps.values() if step.name in taken for slug in step.documents]

    def document_steps(self) -> set[str]:
        """The names of the steps that make a document: the timeline entries ``documents_made``
        reads (the case page loads only these and the latest ones, cases.timeline_fold)."""
        return {name for name, step in self._steps.items() if step.documents}


def documents_made(case) -> list[str]:
    """``Workflow.documents_made`` for the case's own workflow (none registered: no documents)."""
    workflow = _WORKFLOWS.get(case.kind)
    return workflow.documents_made(case) if workflow else []


def makers(case) -> dict[str, tuple[str, ...]]:
    """Step name -> the documents it makes, for the case's own workflow: a step taken again (a second
    round's review opinion) makes its document anew."""
    workflow = _WORKFLOWS.get(case.kind)
    return {name: s.documents for name, s in workflow.items() if s.documents} if workflow else {}


def step(name, label, sources, target, who, form=None, run=None, **options) -> Step:
    """A table row: ``step("accept", _("accept"), {FROM}, TO, {ROLES}, Form, run)``."""
    return Step(name, label, frozenset(sources), target, frozenset(who), form, run, **options)


def check_actor(transition: Step, case, actor) -> None:
    if not transition.permits(actor):
        raise PermissionDenied(_("Your role does not allow this action."))
    if not transition.fits(case, actor):
        raise PermissionDenied(_("This step belongs to another unit."))


def conflict_message(case, transition: Step) -> str:
    # An object that is not a case but whose steps are declared here (an early warning) names itself.
    message = getattr(case, "CONFLICT", None) or _(
        "This case is now “%(status)s”; “%(action)s” is no longer possible. Reload the page."
    )
    return str(message) % {"status": status_label(case), "action": transition.label}


def perform(
    transition: Transition,
    model,
    pk: int,
    actor,
    apply: Callable | None = None,
    *,
    description: str = "",
    details: dict | None = None,
    watch: tuple[str, ...] = (),
    previous: dict | None = None,
):
    """Run one transition on the case ``model`` row ``pk`` as ``actor``.

    Raises Http404 when the actor may not see the case, PermissionDenied for a missing role,
    TransitionConflict when the state does not allow it, TransitionError from ``apply``.
    ``watch`` names fields whose values the timeline records before and after (who handles it…).
    ``previous``, like ``details``, may still be filled by ``apply``: values a step replaced (a
    correction's old values), recorded in the entry's ``before``.
    """
    if actor is None:  # only perform_for_party acts without a user, and says so by its name
        raise PermissionDenied(_("Your role does not allow this action."))
    return _perform(transition, model, pk, actor, apply, description, details, watch, previous)


def perform_for_party(transition: Transition, model, pk: int, apply: Callable | None = None, *, details=None):
    """Run ``transition`` for the case's own party through the public channel (app ``public``,
    which has checked the case's 查询码 and a one-time code sent to the party's phone): no user acts,
    so there is no visibility, role or relation to check; lock, state, timeline entry (actor none),
    next due date and hand-offs as ``perform``."""
    return _perform(transition, model, pk, None, apply, "", details, (), None)


@functools.cache
def _ids_of(model):
    """The build ``visible_case_or_404`` checks a step's case with: the case type's rows, id only.
    One function per case type, as the compiled statement is kept per build (accounts.scoping_case):
    the check no longer builds and compiles the visibility rule on every step."""

    def build():
        return model.objects.only("pk")

    return build


def _perform(transition, model, pk, actor, apply, description, details, watch, previous):
    with transaction.atomic():
        if actor is not None:
            visible_case_or_404(actor, _ids_of(model), pk)  # Http404 when the actor may not see it
        # Every case type serialises on its core row; read the case only once the lock is held.
        Case.objects.select_for_update().filter(pk=pk).get()
        case = model.objects.get(pk=pk)
        if actor is not None:
            check_actor(transition, case, actor)
        if not transition.allows(case.status):
            raise TransitionConflict(conflict_message(case, transition))
        before = {"status": case.status, **_snapshot(case, watch)}
        result = apply(case) if apply else None
        before.update(previous or {})
        if transition.target:
            case.status = transition.target
        case.save()
        record(
            case,
            actor,
            transition.name,
            description or transition.label,
            before=before,
            after={"status": case.status, **_snapshot(case, watch), **(details or {})},
        )
        workflow = _WORKFLOWS.get(case.kind)
        if workflow is not None and workflow.after_change is not None and case.status != before["status"]:
            workflow.after_change(case, actor, transition, before["status"])
        refresh_next_due(case)
        if transition.hands_to is not None:
            units, users = transition.hands_to(case, actor)
            hand_off(
                case, actor, action=transition.name, title=str(transition.label), units=units, users=users
            )
    return result if result is not None else case


def _snapshot(case, fields) -> dict:
    """JSON-friendly values: booleans, numbers and text as they are, anything else (a user, a
    unit) as its text, nothing as ""."""
    values = {}
    for name in fields:
        value = getattr(case, name)
        values[name] = value if isinstance(value, bool | int | str) else str(value or "")
    return values


def status_label(case) -> str:
    """Case types declare ``STATUS_LABELS = {status: label}``."""
    return str(getattr(case, "STATUS_LABELS", {}).get(case.status, case.status))
