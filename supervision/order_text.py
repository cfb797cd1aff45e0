"""The body of a 督办单 in the reader's language.

An automatic order (made on escalation, no issuer) says which time limit was missed and when it
fell due. Its text is stored as written, in the language of whoever ran the scan (Chinese: the
scan runs with the portal's language), and is the record of what was issued; each reader sees it
rebuilt in their own language from the rule and the date it names, the date as it was written
(a deadline extended since still shows the date the order was issued about). A typed order is
shown as typed. The PDF is a formal document and always Chinese (supervision.views.orders).
"""

import datetime
import re

from django.utils import formats, translation
from django.utils.translation import gettext, gettext_noop

AUTOMATIC = gettext_noop("%(rule)s was due on %(due)s and is overdue: finish it and reply on this order.")
LANGUAGES = ("zh-hans", "en")


def automatic_action(rule, due: datetime.date) -> str:
    """The text of an automatic order about ``rule`` due on ``due``, in the active language."""
    return gettext(AUTOMATIC) % {"rule": str(rule), "due": formats.date_format(due, "DATE_FORMAT")}


def _pattern() -> re.Pattern:
    """The active language's automatic text as a regular expression with the rule and date as groups."""
    parts = re.split(r"%\((rule|due)\)s", gettext(AUTOMATIC))
    return re.compile(
        "^" + "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + "$",
        re.S,
    )


def _date(text: str) -> datetime.date | None:
    """A date as DATE_FORMAT writes it in the active language (2026年11月24日, Nov. 24, 2026)."""
    found = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if found:
        year, month, day = map(int, found.groups())
    else:
        months = {formats.date_format(datetime.date(2000, m, 1), "N"): m for m in range(1, 13)}
        found = re.fullmatch(r"(.+?) (\d{1,2}), (\d{4})", text)
        if not found or found[1] not in months:
            return None
        year, month, day = int(found[3]), months[found[1]], int(found[2])
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _written(text: str) -> tuple[str, datetime.date] | None:
    """(rule name, due date) of an automatic text written in either language, else None."""
    for language in LANGUAGES:
        with translation.override(language):
            found = _pattern().match(text)
            due = found and _date(found["due"])
        if due:
            return found["rule"], due
    return None


def required_action(order) -> str:
    """What the order asks, in the reader's language (see the module's docstring)."""
    text = order.required_action
    if order.issuer_id is not None or order.deadline_id is None:
        return text
    written = _written(text)
    if written is None:
        return text
    name, due = written
    rule = order.deadline.rule
    # A rule renamed since keeps the name the order was issued with.
    shown = rule if name in (rule.label, rule.label_en) else name
    return automatic_action(shown, due)
