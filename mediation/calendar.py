"""The session calendar: a week or a month of scheduled mediation sessions, for one mediator (mine)
or one unit, with the statutory deadlines (cases.deadlines ``Deadline`` rows) of their cases on
their due dates.

Every session and deadline shown is of a case ``accounts.scoping.visible_cases`` lets the viewer
see; the units a viewer may open are their own and, for a supervisor, the units in their
jurisdiction (``accounts.scoping.visible_units``). A fixed number of queries whatever the number
of sessions: sessions with their mediators' names (one query), deadlines with case and rule (one),
the working-day calendar (a query or two per year shown).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_cases
from cases.calendar import WorkCalendar
from cases.models import Case, Deadline, DeadlineState
from mediation.models import Dispute, ScheduledSession, ScheduledState
from mediation.selectors import JoinedNames

WEEKDAYS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class Day:
    date: datetime.date
    in_period: bool
    is_today: bool
    is_workday: bool
    sessions: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)

    @property
    def label(self) -> str:
        """12月6日 (no leading zero), 12/6 in English."""
        return _("%(month)d/%(day)d") % {"month": self.date.month, "day": self.date.day}

    @property
    def weekday(self):
        return WEEKDAYS[self.date.weekday()]

    @property
    def off_weekday(self) -> bool:
        """A Monday-to-Friday holiday (休)."""
        return not self.is_workday and self.date.weekday() < 5

    @property
    def working_weekend(self) -> bool:
        """A Saturday or Sunday worked instead (调休, 班)."""
        return self.is_workday and self.date.weekday() >= 5


Dates = tuple[datetime.date, datetime.date, datetime.date, datetime.date]


def period(view: str, anchor: datetime.date) -> Dates:
    """(first day shown, day after the last shown, first day of the period, day after it): a week
    runs Monday to Sunday; a month is shown in whole weeks."""
    if view == "month":
        first = anchor.replace(day=1)
        after = (first + datetime.timedelta(days=32)).replace(day=1)
        start = first - datetime.timedelta(days=first.weekday())
        last = after - ONE_DAY
        end = last + datetime.timedelta(days=7 - last.weekday())
        return start, end, first, after
    start = anchor - datetime.timedelta(days=anchor.weekday())
    end = start + datetime.timedelta(days=7)
    return start, end, start, end


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _mediator_names():
    links = ScheduledSession.mediators.through.objects.filter(scheduledsession_id=OuterRef("pk")).order_by()
    name = Coalesce(NullIf("user__display_name", Value("")), "user__username")
    return links.values("scheduledsession_id").annotate(names=JoinedNames(name, "id")).values("names")


def sessions_between(user, start, end, *, mediator=None, unit=None) -> list[ScheduledSession]:
    """Scheduled, held and cancelled sessions from ``start`` to before ``end`` of disputes the user
    may see: of one mediator, or of one unit (the unit handles the dispute or a mediator sits in it)."""
    queryset = ScheduledSession.objects.filter(
        starts_at__gte=_moment(start),
        starts_at__lt=_moment(end),
        dispute_id__in=visible_cases(user, Dispute.objects.all()).values("pk"),
    )
    links = ScheduledSession.mediators.through.objects
    if mediator is not None:
        queryset = queryset.filter(pk__in=links.filter(user=mediator).values("scheduledsession_id"))
    if unit is not None:
        staffed = links.filter(user__unit=unit).values("scheduledsession_id")
        queryset = queryset.filter(Q(dispute__handling_unit=unit) | Q(pk__in=staffed))
    return list(
        queryset.select_related("dispute")
        .annotate(mediator_names=Coalesce(Subquery(_mediator_names()), Value("")))
        .order_by("starts_at", "pk")
    )


def deadlines_between(user, start, end, *, handler=None, unit=None) -> list[Deadline]:
    """Open statutory deadlines due in the period of the cases the user may see that the mediator
    handles, or the unit handles."""
    cases = Case.objects.filter(closed_at__isnull=True)
    cases = cases.filter(handler=handler) if handler is not None else cases.filter(handling_unit=unit)
    return list(
        Deadline.objects.filter(
            state=DeadlineState.OPEN,
            due_date__gte=start,
            due_date__lt=end,
            case_id__in=visible_cases(user, cases).values("pk"),
        )
        .select_related("case", "rule")
        .order_by("due_date", "case_id", "pk")
    )


@dataclass
class Calendar:
    view: str
    start: datetime.date
    end: datetime.date
    first: datetime.date
    after: datetime.date
    weeks: list[list[Day]]
    count: int
    anchor: datetime.date  # the day asked for: switching week <-> month keeps it in view

    @property
    def days(self) -> list[Day]:
        return [day for week in self.weeks for day in week]

    @property
    def previous(self) -> datetime.date:
        if self.view == "month":
            return (self.first - ONE_DAY).replace(day=1)
        return self.first - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.after


def build(user, view: str, anchor: datetime.date, *, mediator=None, unit=None) -> Calendar:
    start, end, first, after = period(view, anchor)
    today = timezone.localdate()
    work = WorkCalendar()
    days = {}
    day = start
    while day < end:
        days[day] = Day(day, first <= day < after, day == today, work.is_workday(day))
        day += ONE_DAY
    sessions = sessions_between(user, start, end, mediator=mediator, unit=unit)
    for session in sessions:
        days[timezone.localdate(session.starts_at)].sessions.append(session)
    handler = mediator
    for deadline in deadlines_between(user, start, end, handler=handler, unit=None if handler else unit):
        days[deadline.due_date].deadlines.append(deadline)
    ordered = list(days.values())
    weeks = [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
    held = sum(1 for s in sessions if s.state != ScheduledState.CANCELLED)
    return Calendar(view, start, end, first, after, weeks, held, anchor)
