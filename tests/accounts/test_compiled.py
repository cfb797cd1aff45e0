"""accounts.compiled.KeptQuery: a small queryset compiled once per thread and run again with other ids
gives the rows Django gives; a build it cannot explain is built per call."""

import datetime
import threading

import pytest
from django.db import connection
from django.db.models import Q, Value
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.compiled import KeptQuery
from accounts.models import Unit
from supervision import orders
from supervision.orders import issue_order, orders_on_case
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def _fields(rows):
    return [
        (
            o.pk,
            o.case_id,
            o.issuing_unit.name,
            o.target_unit.name,
            o.created_at,
            o.deadline and o.deadline.rule.code,
        )
        for o in rows
    ]


@pytest.mark.requires_postgres
def test_orders_on_case_are_the_orders_django_reads_for_every_unit_and_case(demo, monkeypatch):
    monkeypatch.setattr(orders._ORDERS_ON_CASE, "_local", threading.local())
    county, town = demo["zhuji_supervisor"], demo["fengqiao_supervisor"]
    mediator, other = demo["xianjin_mediator"], demo["yangchun_mediator"]
    soon = timezone.localdate() + datetime.timedelta(days=3)
    cases = [new_dispute(mediator), new_dispute(mediator), new_dispute(other, village="yangchun")]
    for issuer, case, target in [(county, cases[0], mediator), (town, cases[0], mediator),
                                 (county, cases[1], town), (town, cases[2], other)]:  # fmt: skip
        issue_order(issuer, case.pk, target_unit=target.unit, required_action="限期化解", target_date=soon)
    seen = 0
    for user in (county, town, mediator, other, demo["zhuji_petition_clerk"]):
        for case in cases:
            got = orders_on_case(user, case)
            assert _fields(got) == _fields(orders._orders_on_case(user.unit_id, case.pk))
            seen += len(got)
    assert seen == 8  # each order once for its issuer's unit and once for its target's
    assert all(orders._ORDERS_ON_CASE._local.kept.values())  # compiled and kept, not built per call
    with CaptureQueriesContext(connection) as ctx:
        orders_on_case(county, cases[0])
    assert len(ctx.captured_queries) == 1 and ctx.captured_queries[0]["sql"].startswith(
        "EXECUTE jiefen_kept_"
    )


def test_a_build_with_a_date_or_an_id_written_into_the_sql_runs_as_django_builds_it(demo):
    units = list(Unit.objects.order_by("pk")[:3])
    today = timezone.localdate()
    dated = KeptQuery(lambda unit_id: Unit.objects.filter(pk=unit_id).annotate(on=Value(today)), ("unit_id",))

    def written_in(unit_id):
        return Unit.objects.annotate(me=RawSQL(f"id = {int(unit_id)}", ())).filter(me=True)  # noqa: S611

    def twice(unit_id):
        return Unit.objects.filter(Q(pk=unit_id) | Q(pk__lt=unit_id, name=""))

    def listed(unit_id):
        return Unit.objects.filter(pk__in=[unit_id])

    written, plain = KeptQuery(written_in, ("unit_id",)), KeptQuery(twice, ("unit_id",))
    in_list = KeptQuery(listed, ("unit_id",))
    for unit in units:
        assert dated(unit_id=unit.pk) == list(Unit.objects.filter(pk=unit.pk))
        assert written(unit_id=unit.pk) == [unit]
        assert plain(unit_id=unit.pk) == [unit]
        assert in_list(unit_id=unit.pk) == [unit]
    kept = {name: next(iter(q._local.kept.values())) for name, q in
            [("dated", dated), ("written", written), ("plain", plain)]}  # fmt: skip
    assert kept["dated"] is None and kept["written"] is None and kept["plain"] is not None
    assert next(iter(in_list._local.kept.values())) is not None  # IN (%s): one parameter per id
    # An id in two places (the OR above) fills both.
    assert [name for _position, name in kept["plain"][3]] == ["unit_id", "unit_id"]
