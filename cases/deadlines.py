"""Deadlines: from a rule and a start date to a due date, and what happens when they close.

Every limit is a ``DeadlineRule`` row (amount, calendar or working days, rolling), so a province's
stricter rules are configuration. The due moment is the end of the due day in Asia/Shanghai.
"""

import datetime

from django.db.models import Min
from django.dispatch import Signal
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cases.calendar import DueDate, WorkCalendar, add_calendar_days, add_working_days
from cases.i18n import english_of, in_english
from cases.models import Case, Deadline, DeadlineRule, DeadlineState, PeriodUnit


class UnknownRule(LookupError):
    pass


def rule_for(code: str, region_code: str = "") -> DeadlineRule:
    """The most specific rule for ``code``: the one whose region prefix matches longest."""
    candidates = [
        r for r in DeadlineRule.objects.filter(code=code) if region_code.startswith(r.region_prefix)
    ]
    if not candidates:
        raise UnknownRule(code)
    return max(candidates, key=lambda r: len(r.region_prefix))


def _fmt(d: datetime.date) -> str:
    return formats.date_format(d, "DATE_FORMAT")


def compute_due(
    rule: DeadlineRule,
    start: datetime.date,
    *,
    extra_days: int = 0,
    paused_days: int = 0,
    calendar: WorkCalendar | None = None,
) -> tuple[DueDate, str]:
    """The due date and a sentence that says how it was computed. ``paused_days`` are days the
    clock stood still (a hearing): they do not count, so the end moves by as many days."""
    amount = rule.amount + extra_days + paused_days
    if rule.unit == PeriodUnit.WORKING_DAYS:
        due = add_working_days(start, amount, calendar=calendar)
    else:
        due = add_calendar_days(start, amount, roll_forward=rule.roll_forward, calendar=calendar)
    text = describe(
        rule.unit, amount, start, due.date, due.rolled_from,
        extra_days=extra_days, paused_days=paused_days, estimated=due.estimated,
    )  # fmt: skip
    return due, text


def describe(
    unit, amount, start, due, rolled_from=None, *, extra_days=0, paused_days=0, estimated=False
) -> str:
    """The sentence that says how a due date was computed, in the active language."""
    values = {"amount": amount, "start": _fmt(start), "due": _fmt(due)}
    if unit == PeriodUnit.WORKING_DAYS:
        text = _("%(amount)d working days after %(start)s (start day not counted): %(due)s") % values
    else:
        text = _("%(amount)d days after %(start)s (start day not counted): %(due)s") % values
        if rolled_from:
            text += _(
                "; the period ended on %(end)s, a non-working day, and moves to the next working day"
            ) % {"end": _fmt(rolled_from)}
    if extra_days:
        text += _(" (including an extension of %(days)d days)") % {"days": extra_days}
    if paused_days:
        text += _(" (not counting %(days)d days paused)") % {"days": paused_days}
    if estimated:
        text += _("; ESTIMATED: the holiday schedule of that year is not entered yet")
    return text


def explained(deadline: Deadline) -> str:
    """How a deadline's due date was computed, for the case page, in the reader's language. The
    sentence is stored in the language of whoever caused the computation; one ``compute_due`` wrote
    is rebuilt from the deadline's own fields (no calendar needed: a calendar-day period that ended
    on another day than the due date was moved past non-working days) when the stored one is that
    sentence in Chinese or English; any other (a date set on the case) is read back through the
    message catalog in English, and shown as stored in Chinese."""
    rule = deadline.rule
    amount = rule.amount + deadline.extended_days + deadline.paused_days
    rolled_from = None
    if rule.unit != PeriodUnit.WORKING_DAYS:
        end = deadline.start_date + datetime.timedelta(days=amount)
        rolled_from = end if end != deadline.due_date else None
    args = (rule.unit, amount, deadline.start_date, deadline.due_date, rolled_from)
    fields = {"extra_days": deadline.extended_days, "paused_days": deadline.paused_days}
    shown = describe(*args, **fields, estimated=deadline.estimated)
    if deadline.computation == shown:
        return shown
    other = "zh-hans" if in_english() else "en"
    with translation.override(other):
        if deadline.computation == describe(*args, **fields, estimated=deadline.estimated):
            return shown
    return english_of(deadline.computation) if in_english() else deadline.computation


def end_of_day(d: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(d, datetime.time(23, 59, 59)))


def open_deadline(
    case: Case,
    code: str,
    start: datetime.date,
    *,
    due_date: datetime.date | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """Create the deadline ``code`` for ``case`` counted from ``start``.

    ``due_date`` fixes the date instead (an agreed performance date, a date set by the assigning
    office); the rule then only names the obligation.
    """
    deadline = new_deadline(case, code, start, due_date=due_date, calendar=calendar)
    deadline.save()
    refresh_next_due(case)
    return deadline


def new_deadline(
    case: Case,
    code: str,
    start: datetime.date,
    *,
    due_date: datetime.date | None = None,
    calendar: WorkCalendar | None = None,
    rule: DeadlineRule | None = None,
) -> Deadline:
    """The unsaved deadline of ``open_deadline``, for a writer of many cases at once (an import
    saves them in bulk and sets each new case's ``next_due_at`` itself). ``rule``: the rule for
    ``code`` in the case's region when the caller has already looked it up."""
    rule = rule or rule_for(code, case.region_id)
    if due_date is not None:
        due, text = DueDate(due_date), _("date set on the case: %(due)s") % {"due": _fmt(due_date)}
    else:
        due, text = compute_due(rule, start, calendar=calendar)
    return Deadline(
        case=case,
        rule=rule,
        start_date=start,
        due_date=due.date,
        due_at=end_of_day(due.date),
        estimated=due.estimated,
        computation=text[:300],
    )


def extend_deadline(deadline: Deadline, days: int, *, calendar: WorkCalendar | None = None) -> Deadline:
    """Add ``days`` to an open deadline, counted with the rule from the original start."""
    deadline.extended_days += days
    _recompute(deadline, calendar)
    deadline.save(update_fields=["extended_days", "due_date", "due_at", "estimated", "computation"])
    announce_change(deadline)
    refresh_next_due(deadline.case)
    return deadline


def _recompute(deadline: Deadline, calendar: WorkCalendar | None = None) -> None:
    due, text = compute_due(
        deadline.rule,
        deadline.start_date,
        extra_days=deadline.extended_days,
        paused_days=deadline.paused_days,
        calendar=calendar,
    )
    deadline.due_date, deadline.due_at = due.date, end_of_day(due.date)
    deadline.estimated, deadline.computation = due.estimated, text[:300]


def pause_deadline(deadline: Deadline, on: datetime.date) -> Deadline:
    """Stop the clock of an open deadline from ``on`` (that day not counted, like the days after it)
    until ``resume_deadline``: meanwhile no reminder, no overdue, not the case's next due date."""
    if deadline.state != DeadlineState.OPEN:
        raise ValueError("only an open deadline pauses")
    deadline.state, deadline.paused_on = DeadlineState.PAUSED, on
    deadline.save(update_fields=["state", "paused_on"])
    announce_change(deadline)
    refresh_next_due(deadline.case)
    return deadline


def resume_deadline(deadline: Deadline, on: datetime.date, *, calendar: WorkCalendar | None = None) -> int:
    """Start the clock again after a pause that ended on ``on``; every day from the pause's first
    to ``on``, both included, is left out of the period. Returns the days added."""
    if deadline.state != DeadlineState.PAUSED:
        raise ValueError("only a paused deadline resumes")
    days = max((on - deadline.paused_on).days + 1, 0)
    deadline.paused_days += days
    deadline.state, deadline.paused_on = DeadlineState.OPEN, None
    _recompute(deadline, calendar)
    deadline.save(
        update_fields=["state", "paused_on", "paused_days", "due_date", "due_at", "estimated", "computation"]
    )
    announce_change(deadline)
    refresh_next_due(deadline.case)
    return days


def close_deadline(deadline: Deadline, met_at: datetime.datetime | None = None) -> Deadline:
    """Mark a deadline met and freeze whether it was on time and how many days it took."""
    met_at = met_at or timezone.now()
    met_day = timezone.localdate(met_at)
    deadline.state = DeadlineState.MET
    deadline.met_at = met_at
    deadline.met_on_time = met_day <= deadline.due_date
    deadline.elapsed_days = (met_day - deadline.start_date).days
    deadline.save(update_fields=["state", "met_at", "met_on_time", "elapsed_days"])
    announce_change(deadline)
    refresh_next_due(deadline.case)
    return deadline


def cancel_deadline(deadline: Deadline) -> Deadline:
    deadline.state = DeadlineState.CANCELLED
    deadline.save(update_fields=["state"])
    announce_change(deadline)
    refresh_next_due(deadline.case)
    return deadline


def open_deadline_of(case: Case, code: str, *, paused: bool = False) -> Deadline | None:
    """The case's open deadline of this rule (``paused=True``: its paused one)."""
    state = DeadlineState.PAUSED if paused else DeadlineState.OPEN
    return case.deadlines.filter(rule__code=code, state=state).select_related("rule").first()


def close_open_deadline(case: Case, code: str, when: datetime.datetime | None = None) -> None:
    """Close the case's open deadline of this rule, if it has one (a step that meets an obligation).
    Returns nothing: a step's apply() that ends with it returns nothing, so perform returns the case."""
    deadline = open_deadline_of(case, code)
    if deadline:
        close_deadline(deadline, when)


# Sent when a deadline moved, closed or was cancelled, inside the transaction that changed it. The
# supervision app drops the reminders it had decided for the old date (the core knows no reminders).
deadline_changed = Signal()


def announce_change(deadline: Deadline) -> None:
    deadline_changed.send(sender=Deadline, deadline=deadline)


def refresh_next_due(case: Case) -> None:
    """Keep ``Case.next_due_at`` (the inbox and dashboard sort key) equal to the earliest open due."""
    nearest = Deadline.objects.filter(case_id=case.pk, state=DeadlineState.OPEN).aggregate(m=Min("due_at"))[
        "m"
    ]
    if case.next_due_at != nearest:
        Case.objects.filter(pk=case.pk).update(next_due_at=nearest)
        case.next_due_at = nearest
