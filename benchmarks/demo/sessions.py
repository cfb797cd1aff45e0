"""The demo's sessions arranged ahead (预约调解), so a mediator's calendar shows the weeks to come: for
open disputes handled by a mediation committee (a village's, a town's), the committee's mediators
arrange a session on a working day from later today to the third week (the holiday schedule, cases.
calendar), in working hours (Asia/Shanghai), in the committee's mediation room, through the real
scheduling step (mediation.scheduling), and for about half of them record that the parties were
told by phone. No mediator is booked twice at one time.

Called by the activity seeder (benchmarks.demo.activity) once, with the rest of the demo: a county
that already has cases gets nothing more.
"""

import datetime
import logging
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from accounts import roles
from accounts.models import RegionLevel, UnitKind, User
from cases.calendar import WorkCalendar
from cases.transitions import TransitionError
from mediation import workflow as mwf
from mediation.models import Dispute, DisputeStatus, ScheduledSession, ScheduledState
from mediation.people import may_arrange

log = logging.getLogger(__name__)
# Disputes with a session ahead per mediation committee: a town's handles more than a village's.
PER_COMMITTEE = {RegionLevel.VILLAGE: 4, RegionLevel.TOWN: 6}
DAYS_AHEAD = (0, 19)  # from later today to the third week
TIMES = ((9, 0), (9, 30), (10, 0), (14, 0), (14, 30), (15, 30))  # 8:30-17:00 office hours
OPEN = (DisputeStatus.MEDIATING, DisputeStatus.ASSIGNED, DisputeStatus.ACCEPTED)


def _working_days(today: datetime.date) -> list[datetime.date]:
    calendar = WorkCalendar(strict=False)  # a year not yet entered counts Monday to Friday
    days = (today + datetime.timedelta(days=n) for n in range(DAYS_AHEAD[0], DAYS_AHEAD[1] + 1))
    return [day for day in days if calendar.is_workday(day)]


def _arranger(dispute, mediators):
    """Who arranges it: the mediator handling it, else one of the committee (mediation.people)."""
    for user in ([dispute.handler] if dispute.handler_id else []) + mediators:
        if user is not None and user.is_active and may_arrange(dispute, user):
            return user
    return None


def seed_sessions(rng: random.Random, county_code: str) -> int:
    """Arrange the sessions; returns how many (none when some are arranged already)."""
    now = timezone.now()
    ahead = ScheduledSession.objects.filter(
        dispute__region__code__startswith=county_code[:6], state=ScheduledState.SCHEDULED, starts_at__gt=now
    )
    if ahead.exists():
        return 0
    days = _working_days(timezone.localdate(now))
    if not days:
        return 0
    committees = defaultdict(list)
    disputes = (
        Dispute.objects.filter(
            region__code__startswith=county_code[:6],
            status__in=OPEN,
            handling_unit__kind=UnitKind.MEDIATION_COMMITTEE,
        )
        .select_related("handling_unit__region", "handler")
        # Those in mediation first, then the newest (a session is what comes next for them).
        .annotate(later=Case(When(status=DisputeStatus.MEDIATING, then=Value(0)), default=Value(1)))
        .order_by("later", "-opened_at", "pk")
    )
    for d in disputes:
        if len(committees[d.handling_unit_id]) < PER_COMMITTEE.get(d.handling_unit.region.level, 4):
            committees[d.handling_unit_id].append(d)
    mediators_of = defaultdict(list)
    for user in User.objects.filter(
        is_active=True, groups__name=roles.MEDIATOR, unit_id__in=list(committees)
    ).order_by("pk"):
        mediators_of[user.unit_id].append(user)
    booked: set[tuple[int, datetime.datetime]] = set()
    count = 0
    for unit_id, own in committees.items():
        mediators = mediators_of[unit_id]
        for d in own:
            actor = _arranger(d, mediators)
            if actor is None:
                continue
            chosen = [actor] if actor in mediators else mediators[:1]
            starts_at = _free_slot(rng, days, chosen, booked, now)
            if starts_at is None:
                continue
            # About half the parties were already told by phone, minutes ago.
            told_at = now - datetime.timedelta(minutes=rng.randint(5, 90)) if rng.random() < 0.5 else None
            try:
                with transaction.atomic():
                    _arrange(d, actor, chosen, starts_at, told_at)
            except TransitionError as exc:  # a refusal leaves this one out, the demo goes on
                log.warning("demo activity: session of %s not arranged: %s", d.number, exc)
                continue
            booked.update((m.pk, starts_at) for m in chosen)
            count += 1
    return count


def _arrange(d, actor, mediators, starts_at, told_at) -> None:
    parties = list(d.parties.all())
    session = mwf.schedule_session(
        d.pk, actor, starts_at=starts_at, place=_room(d.handling_unit), mediators=mediators, parties=parties
    )
    if told_at is not None:
        mwf.notify_parties(
            d.pk, actor, scheduled=session, parties=parties, method="phone", notified_at=told_at
        )


def _free_slot(rng, days, mediators, booked, now):
    """A working day and hour at least an hour ahead at which none of the mediators is booked."""
    for _attempt in range(20):
        day = rng.choice(days)
        hour, minute = rng.choice(TIMES)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        taken = any((m.pk, moment) in booked for m in mediators)
        if moment > now + datetime.timedelta(hours=1) and not taken:
            return moment
    return None


def _room(unit) -> str:
    """先进村调委会调解室 for a village's committee, the town's or county's mediation room else."""
    place = unit.region.place_name
    if unit.region.level == RegionLevel.VILLAGE:
        return f"{place}调委会调解室"
    if unit.region.level == RegionLevel.TOWN:
        return f"{place}人民调解委员会调解室"
    return f"{place}矛盾纠纷调处化解中心调解室"
