"""The petition tallies (reporting.petition_tally) give the same monthly figures as the petition
table, petition for petition, after every kind of change a petition goes through, and the
statistics read through them equal the statistics counted from the petitions.

Random petitions around the demo county and beyond it (the city itself, the province itself,
another county, another province) are changed one at a time through save(), in bulk through
update(), their evaluations added, re-dated and deleted in one statement, and some deleted; after
each change the province's and the city's figures are compared for three months, as the province's
statistics centre, the city's and a superuser would read them, one petition withheld from the
province's centre (信访工作条例 §30). Their deadlines are added, met, re-dated, paused, cancelled
and deleted, one at a time and in bulk, for the deadline tally (migration 0007).
"""

import datetime
import random

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.demo import COUNTY, TOWNS, VILLAGES
from accounts.models import Region, RegionLevel
from cases.models import CaseKind, CaseOpenedTally, Deadline, DeadlineState
from config.celery import app
from petitions.models import Channel, Evaluation, Petition, PetitionCategory, PetitionKind, VisitBatch
from reporting import petition_passes, petition_stats, petition_tally
from reporting.models import (
    PetitionDeadlineMonths,
    PetitionDeadlineTally,
    PetitionHandledTally,
    PetitionReceivedTally,
    PetitionVisitTally,
)
from reporting.periods import Period
from reporting.petition_passes import ORGAN_RULES, deadline_counts, petition_counts, visit_counts
from reporting.tables import row_regions
from tests.factories import RegionFactory, UnitFactory, UserFactory
from tests.reporting.petition_month import deadline

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]

PROVINCE, CITY = "330000000000", "330600000000"
MONTHS = [Period.month(2026, 9), Period.month(2026, 10), Period.month(2026, 11)]
STATUSES = ["registered", "accepted", "replied", "not_accepted", "diverted", "closed"]
SATISFACTION = ["satisfied", "basically", "unsatisfied"]
TALLIES = (PetitionReceivedTally, PetitionHandledTally, PetitionVisitTally, PetitionDeadlineTally)
# The petition's own time limits the figures read, and one of the petitioner's that they do not.
CODES = [*ORGAN_RULES, "petition_review_request"]
STATES = [DeadlineState.OPEN, DeadlineState.MET, DeadlineState.CANCELLED, DeadlineState.PAUSED]


def _day(rng: random.Random) -> datetime.date:
    return datetime.date(2025, 8, 1) + datetime.timedelta(days=rng.randint(0, 480))


def _moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    """A moment on ``day``, or often on the last day of a month compared; at 17:00 UTC it is the next
    day in Asia/Shanghai (the month's closings are cut in that zone)."""
    if rng.random() < 0.4:
        day = rng.choice(MONTHS).start - datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(rng.choice([3, 17])), tzinfo=datetime.UTC)


def _deadline(rng, petition):
    """A time limit due around the months compared, met (often on a month's last day in Shanghai) or
    not, in any state."""
    due = _day(rng)
    met = rng.choice([None, _moment(rng, due + datetime.timedelta(days=rng.randint(-40, 70)))])
    return deadline(
        petition,
        rng.choice(["petition_notice", "petition_handle", *CODES]),  # the figures' own, more often
        due - datetime.timedelta(days=15),
        due,
        met=met,
        on_time=rng.choice([None, True, False]) if met else None,
        state=rng.choice(STATES),
    )


def _deadlines_and_visits(rng, petition):
    """Some time limits and visits."""
    for _ in range(rng.randint(0, 3)):
        _deadline(rng, petition)
    for _ in range(rng.randint(0, 2)):
        VisitBatch.objects.create(petition=petition, visited_on=_day(rng), head_count=rng.randint(1, 9))


def _petition(rng, places, categories, units, n) -> Petition:
    received = _day(rng)
    accepted = received + datetime.timedelta(days=rng.randint(0, 20)) if rng.random() < 0.7 else None
    replied = (
        accepted + datetime.timedelta(days=rng.randint(0, 70)) if accepted and rng.random() < 0.6 else None
    )
    closed = None
    if rng.random() < 0.5:
        closed = _moment(rng, (replied or received) + datetime.timedelta(days=rng.randint(0, 40)))
    earlier = Petition.objects.order_by("?").first() if rng.random() < 0.2 else None
    petition = Petition.objects.create(
        kind=CaseKind.PETITION,
        number=f"XF-T{n}",
        summary="汇总样例",
        region_id=rng.choice(places),
        status=rng.choice(STATUSES),
        opened_at=_moment(rng, received),
        closed_at=closed,
        withheld_from_unit=rng.choice([None, None, None, *units]),
        channel=rng.choice(Channel.values),
        petition_kind=rng.choice(PetitionKind.values),
        category=rng.choice(categories),
        content="样例",
        received_on=received,
        accepted_on=accepted,
        replied_on=replied,
        is_collective=rng.random() < 0.3,
        is_skip_level=rng.random() < 0.2,
        repeat_of=earlier,
    )
    _deadlines_and_visits(rng, petition)
    return petition


def change(rng, places, categories, units, n) -> str:
    """One random change; returns what it did (for the failure message)."""
    what = rng.choice(
        [
            "new",
            "new",
            "save",
            "save",
            "case",
            "bulk",
            "bulk_case",
            "evaluate",
            "evaluations",
            "visits",
            "deadline",
            "deadline",
            "deadlines",
            "delete",
        ]
    )
    petitions = Petition.objects.filter(repeats__isnull=True)
    if what.startswith("evaluat"):  # one the figures read the evaluations of: replied in a month compared
        petitions = petitions.filter(replied_on__range=(MONTHS[0].start, MONTHS[-1].end))
    petition = petitions.order_by("?").first()
    if petition is None:
        what = "new"
    if what == "new":
        return f"new {_petition(rng, places, categories, units, n).pk}"
    if what == "save":
        petition.received_on = _day(rng)
        petition.accepted_on = rng.choice([None, _day(rng)])
        petition.replied_on = rng.choice([None, _day(rng)])
        petition.channel = rng.choice(Channel.values)
        petition.category = rng.choice(categories)
        petition.is_collective = not petition.is_collective
        petition.status = rng.choice(STATUSES)
        petition.closed_at = rng.choice([None, _moment(rng, _day(rng))])
        petition.save()
    elif what == "case":  # the case's own columns: place, withheld, closing
        petition.region_id = rng.choice(places)
        petition.withheld_from_unit = rng.choice([None, *units])
        petition.closed_at = rng.choice([None, _moment(rng, _day(rng))])
        petition.save()
    elif what == "bulk":
        ids = list(Petition.objects.order_by("?").values_list("pk", flat=True)[:4])
        Petition.objects.filter(pk__in=ids).update(
            replied_on=rng.choice([None, _day(rng)]), is_skip_level=rng.random() < 0.5
        )
        return f"bulk {ids}"
    elif what == "bulk_case":
        ids = list(Petition.objects.order_by("?").values_list("pk", flat=True)[:4])
        Petition.objects.filter(pk__in=ids).update(status=rng.choice(STATUSES), closed_at=timezone.now())
        return f"bulk case {ids}"
    elif what == "evaluate":
        for _ in range(rng.randint(1, 2)):
            Evaluation.objects.create(
                petition=petition, value=rng.choice(SATISFACTION), given_on=_day(rng), way="电话"
            )
    elif what == "evaluations":  # re-dated in one statement, or all of a petition's deleted in one
        evaluations = Evaluation.objects.filter(petition=petition)
        if rng.random() < 0.5:
            evaluations.update(given_on=_day(rng), value=rng.choice(SATISFACTION))
        else:
            evaluations.delete()
    elif what == "visits":  # one more, or all of a petition's re-dated or moved to another in one statement
        visits = VisitBatch.objects.filter(petition=petition)
        choice = rng.choice(["add", "redate", "move"])
        if choice == "add" or not visits.exists():
            VisitBatch.objects.create(petition=petition, visited_on=_day(rng), head_count=rng.randint(1, 9))
        elif choice == "redate":
            visits.update(visited_on=_day(rng), head_count=rng.randint(1, 9))
        else:
            visits.update(petition=Petition.objects.exclude(pk=petition.pk).order_by("?").first())
    elif what == "deadline":  # one added, met, unmet, re-dated, paused, cancelled or deleted
        limit = Deadline.objects.filter(case=petition).order_by("?").first()
        choice = rng.choice(["add", "met", "unmet", "redate", "state", "delete"])
        if choice == "add" or limit is None:
            _deadline(rng, petition)
        elif choice == "delete":
            limit.delete()
        else:
            if choice == "met":
                limit.met_at = _moment(rng, limit.due_date + datetime.timedelta(days=rng.randint(-40, 70)))
                limit.met_on_time, limit.state = rng.random() < 0.5, DeadlineState.MET
            elif choice == "unmet":
                limit.met_at, limit.met_on_time, limit.state = None, None, DeadlineState.OPEN
            elif choice == "redate":
                limit.due_date = _day(rng)
            else:
                limit.state = rng.choice(STATES)
            limit.save()
    elif what == "deadlines":  # several petitions' in one statement: met at one moment, or cancelled
        ids = list(Petition.objects.order_by("?").values_list("pk", flat=True)[:4])
        limits = Deadline.objects.filter(case_id__in=ids)
        if rng.random() < 0.5:
            limits.update(met_at=_moment(rng, _day(rng)), met_on_time=True, state=DeadlineState.MET)
        else:
            limits.update(state=rng.choice(STATES), due_date=_day(rng))
        return f"deadlines {ids}"
    elif what == "delete":
        petition.delete()  # its deadlines and evaluations, then the petition, then its case
    return f"{what} {petition.pk}"


def live(user, region, period):
    length, _children = row_regions(region)
    filters = petition_stats.metric_filters(period, petition_stats.top_categories())
    counts = petition_counts(user, region, period, length, filters)
    return {
        "petitions": counts,
        "visits": visit_counts(user, region, period, length),
        "deadlines": deadline_counts(user, region, period, length),
    }


def tallied(user, region, period):
    length, _children = row_regions(region)
    how = petition_tally.reader(user, region, period, length)
    assert how is not None, (user, region, period)
    filters = petition_stats.metric_filters(period, petition_stats.top_categories())
    satisfied = petition_stats.satisfied_values()
    counts = petition_tally.petition_counts(how, region, period, length, filters, satisfied)
    return {
        "petitions": counts,
        "visits": petition_tally.visit_counts(how, region, period, length),
        "deadlines": petition_tally.deadline_counts(how, region, period, length),
    }


def _world(demo):
    """Places, categories, units, and the readers with the regions they report on."""
    province, city = Region.objects.get(code=PROVINCE), Region.objects.get(code=CITY)
    other_county = RegionFactory(code="330683000000", name="嵊州市", level=RegionLevel.COUNTY, parent=city)
    other_province = RegionFactory()
    places = [
        *VILLAGES.values(),
        *TOWNS.values(),
        COUNTY,
        CITY,
        PROVINCE,
        other_county.code,
        other_province.code,
    ]
    province_centre = UnitFactory(region=province)
    city_centre = UnitFactory(region=city)
    units = [province_centre, city_centre, demo["fengqiao_supervisor"].unit]
    readers = [
        (UserFactory(unit=province_centre), province),
        (UserFactory(unit=province_centre), city),
        (UserFactory(unit=city_centre), city),
        (UserFactory(is_superuser=True, unit=None), province),
    ]
    categories = list(PetitionCategory.objects.all())
    return places, categories, units, readers


def _filled(demo, *, seed: int, petitions: int, changes: int) -> list:
    """The world with random petitions, then random changes; returns its readers."""
    places, categories, units, readers = _world(demo)
    rng = random.Random(seed)
    for n in range(petitions):
        _petition(rng, places, categories, units, n)
    for i in range(changes):
        change(rng, places, categories, units, 100 + i)
    return readers


def _compare(readers, when: str):
    for user, region in readers:
        for period in MONTHS:
            assert tallied(user, region, period) == live(user, region, period), (when, user, region, period)


def test_the_tallies_give_the_figures_of_the_petitions_after_every_change_and_every_fold(demo):
    assert connection.vendor == "postgresql"
    places, categories, units, readers = _world(demo)
    rng = random.Random(22)
    for n in range(40):
        _petition(rng, places, categories, units, n)
    _compare(readers, "after the first petitions")
    # After each change, the province's centre on the province (its withheld petitions left out) and
    # the city's on the city; all four readers after the folds.
    for i in range(60):
        did = change(rng, places, categories, units, 100 + i)
        _compare([readers[0], readers[2]], f"after change {i}: {did}")
        if i % 25 == 24:
            written = petition_tally.fold()
            assert written == sum(tally.objects.count() for tally in TALLIES)
            _compare(readers, f"after the fold at change {i}")


def test_evaluations_written_in_one_statement_are_counted_when_the_statement_is_whole(demo):
    """A petition's evaluations re-dated or deleted in one statement (as deleting the petition does)
    change its latest evaluation once: the tally counts it out as it was before the statement."""
    _places, categories, _units, readers = _world(demo)
    october = MONTHS[1]
    petition = _petition(random.Random(1), [VILLAGES["xianjin"]], categories, [], 1)
    Petition.objects.filter(pk=petition.pk).update(
        accepted_on=datetime.date(2026, 10, 2), replied_on=datetime.date(2026, 10, 20), closed_at=None
    )
    for value, day in (("satisfied", 21), ("unsatisfied", 25), ("basically", 23)):
        Evaluation.objects.create(
            petition=petition, value=value, given_on=datetime.date(2026, 10, day), way="电话"
        )
    user, province = readers[0]

    def figures():
        counted = tallied(user, province, october)
        assert counted == live(user, province, october)
        rows = counted["petitions"].values()
        return {key: sum(row.get(key, 0) for row in rows) for key in ("evaluated", "satisfied")}

    before = figures()
    Evaluation.objects.filter(petition=petition).update(given_on=datetime.date(2026, 10, 28))
    # All three on one day: the latest by id, "basically" (satisfied), instead of "unsatisfied".
    assert figures() == {"evaluated": before["evaluated"], "satisfied": before["satisfied"] + 1}
    Evaluation.objects.filter(petition=petition).delete()
    assert figures() == {"evaluated": before["evaluated"] - 1, "satisfied": before["satisfied"]}


def test_s34_a_handling_limit_met_without_a_handling_opinion_is_not_due_in_the_tally(demo):
    """按期办结 counts concluded matters only (信访工作条例 §34; reporting.petition_passes.
    deadline_conditions): a handling limit closed as met without a reply (diverted, not accepted) is
    neither due nor on time, until the petition has its reply."""
    _places, categories, _units, readers = _world(demo)
    october = MONTHS[1]
    petition = _petition(random.Random(2), [VILLAGES["xianjin"]], categories, [], 1)
    Deadline.objects.filter(case=petition).delete()
    Petition.objects.filter(pk=petition.pk).update(
        received_on=datetime.date(2026, 10, 2), replied_on=None, closed_at=None
    )
    limit = deadline(
        petition,
        "petition_handle",
        datetime.date(2026, 10, 2),
        datetime.date(2026, 10, 20),
        met=datetime.datetime(2026, 10, 15, 3, tzinfo=datetime.UTC),
        on_time=True,
    )
    user, province = readers[0]

    def figures():
        counted = tallied(user, province, october)
        assert counted == live(user, province, october)
        rows = counted["deadlines"].values()
        return {key: sum(row[key] for row in rows) for key in ("handle_due", "handle_on_time")}

    before = figures()
    Petition.objects.filter(pk=petition.pk).update(replied_on=datetime.date(2026, 10, 15))
    assert figures() == {
        "handle_due": before["handle_due"] + 1,
        "handle_on_time": before["handle_on_time"] + 1,
    }
    limit.delete()
    assert figures() == before
    assert not PetitionDeadlineMonths.objects.filter(petition_id=petition.pk).exists()


def test_the_statistics_through_the_tallies_equal_the_statistics_counted_from_the_petitions(
    demo, monkeypatch
):
    """The whole report, through the tallies and the province's own way to its deadlines (the
    scoping conditions on the deadline's joined case), against the live passes through the whole
    scoping rule."""
    readers = _filled(demo, seed=5, petitions=60, changes=20)
    tallied = [petition_stats.compute(user, region, period) for user, region in readers for period in MONTHS]
    monkeypatch.setattr(petition_tally, "reader", lambda *args: None)
    monkeypatch.setattr(petition_passes, "wholly_visible_within", lambda user, prefix: None)
    live = [petition_stats.compute(user, region, period) for user, region in readers for period in MONTHS]
    assert tallied == live
    totals = [report["sheets"][0].total.values for report in live]
    # The months compared hold petitions, time limits and visits, and one is withheld (§30).
    assert sum(t["received"] for t in totals) > 20
    assert sum(t["notice_due"] + t["handle_due"] for t in totals) > 5
    assert sum(t["overdue"] for t in totals) > 5
    assert sum(report["sheets"][1].total.values["visit_batches"] for report in live) > 5
    assert Petition.objects.filter(withheld_from_unit=readers[0][0].unit).exists()


def test_only_a_city_or_the_province_in_whole_months_for_a_user_who_sees_it_whole_reads_the_tallies(demo):
    _places, _categories, _units, readers = _world(demo)
    province_user, province = readers[0]
    county = Region.objects.get(code=COUNTY)
    october = MONTHS[1]
    assert petition_tally.reader(province_user, province, october, 4) == (province_user.unit_id,)
    assert petition_tally.reader(readers[3][0], province, october, 4) == (None,)  # a superuser
    # A county's rows are towns: the tallies keep counties only.
    assert petition_tally.reader(demo["zhuji_supervisor"], county, october, 9) is None
    # Not whole months: the live passes.
    assert (
        petition_tally.reader(province_user, province, Period(october.start, october.end.replace(day=30)), 4)
        is None
    )
    # A county department sees its own and granted petitions only (rule 1 does not apply).
    assert petition_tally.reader(demo["zhuji_handler"], province, october, 4) is None
    # The city's centre reporting on the province (not its jurisdiction).
    assert petition_tally.reader(readers[2][0], province, october, 4) is None


def test_the_beat_folds_the_petition_tallies(demo):
    entry = settings.CELERY_BEAT_SCHEDULE["fold-petition-tally"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    _filled(demo, seed=3, petitions=10, changes=10)
    # The same task folds the opened-case tally (reporting.opened_tally) too.
    tallies = (*TALLIES, CaseOpenedTally)
    before = sum(tally.objects.count() for tally in tallies)
    written = app.tasks[entry["task"]].apply().get()
    assert written == sum(tally.objects.count() for tally in tallies) < before
