"""Dates on a dispute checked against each other and against today, in the workflow functions, so
a form, an import and an API are refused alike (TransitionError, Chinese message).

Nothing lies in the future except what is scheduled (the agreed performance date); a session is
not held before the dispute was registered; performance, confirmation and follow-up come no earlier
than the agreement takes effect. Days are compared in Asia/Shanghai.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases import deadlines
from cases.transitions import TransitionError

# A session typed in just before it starts (the form has minutes only, clocks differ a little).
CLOCK_TOLERANCE = datetime.timedelta(hours=1)


def _day(value) -> datetime.date:
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _fmt(value) -> str:
    return formats.date_format(_day(value), "DATE_FORMAT")


def registered_on(dispute) -> datetime.date:
    return timezone.localdate(dispute.opened_at)


def not_in_future(moment, message: str, field: str | None = None) -> None:
    """``field``: the form field the date was typed in, where the refusal is shown."""
    if isinstance(moment, datetime.datetime):
        if moment > timezone.now() + CLOCK_TOLERANCE:
            raise TransitionError(message, field=field)
    elif moment > timezone.localdate():
        raise TransitionError(message, field=field)


def not_before(value, earliest, message: str, field: str | None = None) -> None:
    """``message`` may name %(date)s, the earliest day allowed."""
    if earliest is not None and _day(value) < _day(earliest):
        raise TransitionError(message % {"date": _fmt(earliest)}, field=field)


def check_session(dispute, held_at) -> None:
    not_in_future(held_at, _("A session cannot be recorded before it is held."), "held_at")
    not_before(
        held_at, registered_on(dispute),
        _("A session cannot be held before the dispute was registered (%(date)s)."), "held_at",
    )  # fmt: skip


def check_scheduled(dispute, starts_at) -> None:
    """A session arranged ahead lies in the future, and not before the dispute was registered
    (a moved session too)."""
    if starts_at <= timezone.now():
        raise TransitionError(_("A session is scheduled for a time still to come."))
    not_before(
        starts_at, registered_on(dispute),
        _("A session cannot be held before the dispute was registered (%(date)s)."),
    )  # fmt: skip


def check_risk_report(dispute, reported_at) -> None:
    not_in_future(reported_at, _("A report cannot be dated in the future."), "reported_at")
    not_before(
        reported_at, registered_on(dispute),
        _("A report cannot be dated before the dispute was registered (%(date)s)."), "reported_at",
    )  # fmt: skip


def check_agreement(effective_date, performance_due=None) -> None:
    not_in_future(effective_date, _("The effective date cannot be in the future."), "effective_date")
    if performance_due is not None:  # scheduled: may lie in the future, not before the agreement
        not_before(
            performance_due, effective_date,
            _("Performance cannot be due before the agreement takes effect (%(date)s)."), "performance_due",
        )  # fmt: skip


def check_performance(agreement, performed_on) -> None:
    not_in_future(performed_on, _("The performance date cannot be in the future."), "performed_on")
    not_before(
        performed_on, agreement.effective_date,
        _("Performance cannot be recorded before the agreement takes effect (%(date)s)."), "performed_on",
    )  # fmt: skip


def check_follow_up(dispute, agreement, date) -> None:
    not_in_future(date, _("A follow-up cannot be dated in the future."), "date")
    if agreement is not None:
        not_before(
            date, agreement.effective_date,
            _("A follow-up cannot be dated before the agreement takes effect (%(date)s)."), "date",
        )  # fmt: skip
    else:
        not_before(
            date, registered_on(dispute),
            _("A follow-up cannot be dated before the dispute was registered (%(date)s)."), "date",
        )  # fmt: skip


def confirmation_last_day(dispute, agreement) -> datetime.date:
    """The last day to apply for judicial confirmation, the very date the case page shows.

    人民调解法 §33 with 民事诉讼法 §205: within 30 days of the agreement taking effect; a period
    ending on a statutory holiday or rest day runs to the next working day (民事诉讼法 §85, 民法典
    §203). The open deadline row is what the page shows (recomputed on a holiday edit); without
    one, the same rule and calendar compute it (cases.deadlines.compute_due).
    """
    deadline = deadlines.open_deadline_of(dispute, "judicial_confirmation")
    if deadline is not None and deadline.start_date == agreement.effective_date:
        return deadline.due_date
    rule = deadlines.rule_for("judicial_confirmation", dispute.region_id)
    due, _text = deadlines.compute_due(rule, agreement.effective_date)
    return due.date


def check_confirmation_applied(dispute, agreement, applied_on) -> None:
    not_in_future(applied_on, _("The application date cannot be in the future."), "date")
    not_before(
        applied_on, agreement.effective_date,
        _("The parties cannot apply before the agreement takes effect (%(date)s)."), "date",
    )  # fmt: skip
    last_day = confirmation_last_day(dispute, agreement)
    if applied_on > last_day:
        raise TransitionError(
            _("The 30-day window for judicial confirmation closed on %(date)s.") % {"date": _fmt(last_day)},
            field="date",
        )


def check_confirmation_decided(agreement, decided_on) -> None:
    not_in_future(decided_on, _("The court's decision cannot be dated in the future."), "date")
    not_before(
        decided_on, agreement.confirmation_applied_on,
        _("The court cannot decide before the parties applied (%(date)s)."), "date",
    )  # fmt: skip
