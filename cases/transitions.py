"""The machinery every workflow uses: lock the row, check state, role and jurisdiction, change,
record one timeline entry, all in one transaction.

A workflow (mediation.workflow for disputes, petitions.workflow for petitions) declares its
``Transition`` table and writes one function per transition that calls ``perform``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.roles import has_role
from accounts.scoping import visible_cases
from cases.deadlines import refresh_next_due
from cases.models import Case
from cases.timeline import record


class TransitionError(Exception):
    """A user-facing refusal: bad input or a rule of the workflow (message in Chinese)."""


class TransitionConflict(TransitionError):
    """The case is no longer in a state that allows this (someone else acted first)."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (a session, a note)
    roles: frozenset[str] = field(default_factory=frozenset)

    def allows(self, status: str) -> bool:
        return status in self.sources


def check_actor(transition: Transition, case, actor) -> None:
    if transition.roles and not (actor.is_superuser or has_role(actor, *transition.roles)):
        raise PermissionDenied(_("Your role does not allow this action."))


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
):
    """Run one transition on the case ``model`` row ``pk`` as ``actor``.

    Raises Http404 when the actor may not see the case, PermissionDenied for a missing role,
    TransitionConflict when the state does not allow it, TransitionError from ``apply``.
    ``watch`` names fields whose values the timeline records before and after (who handles it…).
    """
    with transaction.atomic():
        if not visible_cases(actor, model.objects.filter(pk=pk)).exists():
            raise Http404
        # Every case type serialises on its core row; read the case only once the lock is held.
        Case.objects.select_for_update().filter(pk=pk).get()
        case = model.objects.get(pk=pk)
        check_actor(transition, case, actor)
        if not transition.allows(case.status):
            raise TransitionConflict(
                _("This case is now “%(status)s”; “%(action)s” is no longer possible. Reload the page.")
                % {"status": status_label(case), "action": transition.label}
            )
        before = {"status": case.status, **_snapshot(case, watch)}
        result = apply(case) if apply else None
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
        refresh_next_due(case)
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
