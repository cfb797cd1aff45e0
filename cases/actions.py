"""Registry of the actions a case page offers: transition name -> form and handler.

Each case type registers its actions when it loads (mediation.actions); the core never imports it.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Action:
    name: str  # the transition name in mediation.workflow.TRANSITIONS
    form_class: Any
    handler: Any  # handler(dispute_id, user, cleaned_data)
    confirm: str = ""  # a question asked before an irreversible step
    form_needs_case: bool = False


ACTIONS: dict[str, Action] = {}


def register(action: Action) -> None:
    ACTIONS[action.name] = action
