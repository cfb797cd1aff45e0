"""Panels that apps above supervision put on the home page and the dashboard (the early warnings of
analysis), registered in their ``ready()`` so supervision imports none of them.

A panel is a template and a function of the user that returns its context, or None when the panel
has nothing for that user (it is then left out).
"""

from collections.abc import Callable
from dataclasses import dataclass

PAGES = ("home", "dashboard")


@dataclass(frozen=True)
class Panel:
    page: str
    template: str
    build: Callable


_PANELS: dict[str, Panel] = {}


def register_panel(name: str, *, page: str, template: str, build: Callable) -> None:
    assert page in PAGES, page
    _PANELS[f"{page}:{name}"] = Panel(page, template, build)


def panels(page: str, user) -> list[dict]:
    """The panels of ``page`` that have something for ``user``: each its template and context."""
    shown = []
    for panel in _PANELS.values():
        if panel.page != page:
            continue
        context = panel.build(user)
        if context is not None:
            shown.append({"template": panel.template, **context})
    return shown
