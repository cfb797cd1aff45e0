"""What apps above the case types add to the case pages and to the person look-up (analysis: the
dispute ↔ petition links, the 包案 button, the 列为重点人员 button), registered in their ``ready()``
so that cases, mediation and petitions import none of them (docs/architecture.md, layers).

A case annotation (``register_case_annotation``) is a query expression the case pages add to the
query that loads the case (no statement of its own), so that a section can tell without a query
that it has nothing to show.

A button builder is a function of (user, case) — or (user, party link) on the look-up page —
returning a list of ``Button`` (none when the user may not act). It must decide with the same
permission function its target's POST checks, so a button is shown exactly where the action is
allowed. A section builder returns the context of its template, or None to leave it out.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    label: str
    url: str
    style: str = "outline-secondary"


_CASE_BUTTONS: dict[str, Callable] = {}
_CASE_SECTIONS: dict[str, tuple[str, Callable]] = {}
_PARTY_BUTTONS: dict[str, Callable] = {}
_ANNOTATIONS: dict[str, Callable] = {}


def register_case_annotation(name: str, expression: Callable) -> None:
    """``expression()`` returns a query expression over the case row (OuterRef("pk") is the case)."""
    _ANNOTATIONS[name] = expression


def annotate_case_page(queryset):
    """The case page's queryset with the registered annotations (in the same statement)."""
    return (
        queryset.annotate(**{name: build() for name, build in _ANNOTATIONS.items()})
        if _ANNOTATIONS
        else queryset
    )


def register_case_button(name: str, build: Callable) -> None:
    _CASE_BUTTONS[name] = build


def register_case_section(name: str, template: str, build: Callable) -> None:
    _CASE_SECTIONS[name] = (template, build)


def register_party_button(name: str, build: Callable) -> None:
    _PARTY_BUTTONS[name] = build


def case_extras(user, case) -> dict:
    """{"buttons": [Button], "sections": [{"template", …context}]} for the case page."""
    buttons = [b for build in _CASE_BUTTONS.values() for b in build(user, case) or ()]
    sections = []
    for template, build in _CASE_SECTIONS.values():
        context = build(user, case)
        if context is not None:
            sections.append({"template": template, **context})
    return {"buttons": buttons, "sections": sections}


def party_buttons(user, link) -> list[Button]:
    return [b for build in _PARTY_BUTTONS.values() for b in build(user, link) or ()]
