"""The opened-case tally (reporting.opened_tally) gives the analysis page's heat by month, heat by
category and category trends of a city and of the province as counted from the cases, after every
kind of change: disputes and petitions opened (their case row first, then the dispute's or the
petition's), moved, withheld from a unit (信访工作条例 §30), re-dated across a month's end in
Asia/Shanghai, given another category, one at a time and in bulk, and deleted.
"""

import random

import pytest

from cases.models import Case, CaseKind, CaseOpenedTally
from mediation.models import Dispute, DisputeCategory, DisputeSource, RiskLevel
from petitions.models import Petition
from reporting import insight, opened_tally
from reporting.periods import Period
from reporting.tables import row_regions
from tests.reporting.test_petition_tally import MONTHS, _day, _moment, _petition, _world

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]


def _dispute(rng, places, units, n) -> Dispute:
    return Dispute.objects.create(
        kind=CaseKind.DISPUTE,
        number=f"TJ-T{n}",
        summary="汇总样例",
        region_id=rng.choice(places),
        status="registered",
        opened_at=_moment(rng, _day(rng)),
        withheld_from_unit=rng.choice([None, None, None, *units]),
        source=DisputeSource.WALK_IN,
        category=rng.choice(list(DisputeCategory.objects.all())),
        risk_level=RiskLevel.objects.first(),
    )


def _change(rng, places, categories, units, n) -> str:
    what = rng.choice(["dispute", "petition", "case", "category", "bulk", "bulk_category", "delete"])
    case = Case.objects.order_by("?").first()
    if case is None or what in ("dispute", "petition"):
        made = (
            _dispute(rng, places, units, n)
            if what == "dispute"
            else _petition(rng, places, categories, units, n)
        )
        return f"new {made.kind} {made.pk}"
    if what == "case":  # the case's own columns, through save()
        case.region_id = rng.choice(places)
        case.withheld_from_unit = rng.choice([None, *units])
        case.opened_at = _moment(rng, _day(rng))
        case.save()
    elif what == "category":
        if case.kind == CaseKind.DISPUTE:
            dispute = Dispute.objects.get(pk=case.pk)
            dispute.category = rng.choice(list(DisputeCategory.objects.all()))
            dispute.save()
        else:
            petition = Petition.objects.get(pk=case.pk)
            petition.category = rng.choice(categories)
            petition.save()
    elif what == "bulk":  # several cases re-dated and moved in one statement
        ids = list(Case.objects.order_by("?").values_list("pk", flat=True)[:4])
        Case.objects.filter(pk__in=ids).update(
            opened_at=_moment(rng, _day(rng)), region_id=rng.choice(places)
        )
        return f"bulk {ids}"
    elif what == "bulk_category":
        ids = list(Dispute.objects.order_by("?").values_list("pk", flat=True)[:4])
        Dispute.objects.filter(pk__in=ids).update(category=rng.choice(list(DisputeCategory.objects.all())))
        ids = list(Petition.objects.order_by("?").values_list("pk", flat=True)[:4])
        Petition.objects.filter(pk__in=ids).update(category=rng.choice(categories))
        return f"bulk category {ids}"
    elif what == "delete":
        # A petition another one names as its earlier one (repeat_of) is protected from deletion:
        # the case deleted is one nothing refers to. Case.objects.order_by("?") is the database's
        # random, not the seeded one, so the first pick may be either.
        referred = Petition.objects.filter(repeat_of__isnull=False).values("repeat_of")
        case = Case.objects.exclude(pk__in=referred).order_by("?").first()
        (Dispute if case.kind == CaseKind.DISPUTE else Petition).objects.get(pk=case.pk).delete()
    return f"{what} {case.pk}"


def _figures(user, region, period):
    scope = insight.Scope(user, region, period)
    return insight.heat_by_month(scope), insight.by_category(scope)


def _compare(readers, monkeypatch, when: str):
    for user, region in readers:
        length, _children = row_regions(region)
        for period in MONTHS:
            assert opened_tally.reader(user, region, [period], length) is not None
            tallied = _figures(user, region, period)
            with monkeypatch.context() as m:
                m.setattr(opened_tally, "reader", lambda *args: None)
                live = _figures(user, region, period)
            assert tallied == live, (when, user, region, period)


def test_the_tally_gives_the_analysis_counts_of_the_cases_after_every_change_and_every_fold(
    demo, monkeypatch
):
    places, categories, units, readers = _world(demo)
    rng = random.Random(18)
    for n in range(30):
        (_dispute if n % 2 else _petition)(rng, places, *([units] if n % 2 else [categories, units]), n)
    _compare(readers, monkeypatch, "after the first cases")
    for i in range(40):
        did = _change(rng, places, categories, units, 100 + i)
        _compare([readers[0], readers[2]], monkeypatch, f"after change {i}: {did}")
        if i % 20 == 19:
            assert opened_tally.fold() == CaseOpenedTally.objects.count()
            _compare(readers, monkeypatch, f"after the fold at change {i}")
    heat, categories_table = _figures(*readers[0], MONTHS[-1])
    assert heat["grand"].value > 10 and categories_table["trends"]  # the months hold cases


def test_only_whole_months_of_a_city_or_the_province_read_the_tally(demo):
    _places, _categories, _units, readers = _world(demo)
    user, province = readers[0]
    october = MONTHS[1]
    assert opened_tally.reader(user, province, [october], 4) == (user.unit_id,)
    assert (
        opened_tally.reader(user, province, [Period(october.start, october.end.replace(day=30))], 4) is None
    )
    assert opened_tally.reader(demo["zhuji_supervisor"], province, [october], 9) is None
