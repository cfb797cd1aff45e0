"""Registry of the actions a dispute page offers: transition name -> form and handler.

The core registers its own; the mediation app registers its actions when it loads (it builds on
the core, the core never imports it).
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Action:
    name: str  # the transition name in cases.workflow.TRANSITIONS
    form_class: Any
    handler: Any  # handler(dispute_id, user, cleaned_data)
    confirm: str = ""  # a question asked before an irreversible step
    form_needs_case: bool = False


ACTIONS: dict[str, Action] = {}


def register(action: Action) -> None:
    ACTIONS[action.name] = action


def _core_actions():
    from django.utils.translation import gettext_lazy as _

    from cases import workflow
    from cases.forms import (
        ArchiveForm,
        AssignForm,
        EmptyForm,
        EscalateForm,
        PartyForm,
        ReasonForm,
        ReferForm,
        party_values,
    )

    for action in [
        Action("accept", EmptyForm, lambda pk, u, d: workflow.accept(pk, u)),
        Action("decline", ReasonForm, lambda pk, u, d: workflow.decline(pk, u, d["reason"]),
               confirm=_("Decline this dispute? The parties must be told why.")),
        Action("refer", ReferForm, lambda pk, u, d: workflow.refer(pk, u, d["referred_to"])),
        Action("assign", AssignForm, lambda pk, u, d: workflow.assign(pk, u, handler=d["handler"], unit=d["unit"]),
               form_needs_case=True),
        Action("start_mediation", EmptyForm, lambda pk, u, d: workflow.start_mediation(pk, u)),
        Action("escalate", EscalateForm, lambda pk, u, d: workflow.escalate(pk, u, unit=d["unit"], reason=d["reason"]),
               form_needs_case=True),
        Action("add_party", PartyForm, lambda pk, u, d: workflow.add_party(pk, u, role=d["role"], **party_values(d))),
        Action("archive", ArchiveForm, lambda pk, u, d: workflow.archive(pk, u, **d),
               confirm=_("Archive this dispute? It leaves the open lists.")),
        Action("reopen", ReasonForm, lambda pk, u, d: workflow.reopen(pk, u, d["reason"])),
    ]:  # fmt: skip
        register(action)


_core_actions()
