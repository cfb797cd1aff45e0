"""Dashboard figures equal the row counts of the lists they drill into (fixture of known counts)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import TOWNS, VILLAGES
from accounts.models import Region
from cases.deadlines import close_deadline, open_deadline
from supervision import dashboard
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def make(demo, village, due_in_days, handler="xianjin_mediator"):
    user = demo[handler]
    case = CaseFactory(region_id=VILLAGES[village], handler=user, handling_unit=user.unit)
    today = timezone.localdate()
    return open_deadline(
        case,
        "performance",
        today - datetime.timedelta(days=40),
        due_date=today + datetime.timedelta(days=due_in_days),
    )


@pytest.fixture
def known(demo):
    # 先进村: 2 overdue, 1 due soon, 1 later; 阳春村: 1 overdue, 2 later; 江东社区 (other town): 3 overdue.
    for days in (-5, -1, 2, 20):
        make(demo, "xianjin", days)
    for days in (-3, 10, 30):
        make(demo, "yangchun", days, handler="yangchun_mediator")
    for days in (-2, -2, -2):
        make(demo, "jiangdong", days, handler="jiangdong_mediator")
    return demo


def row_count(client, url):
    html = client.get(url).content.decode()
    return len(re.findall(r'<tr class="case-row">', html)), int(
        re.search(r'id="row-count">\D*(\d+)', html).group(1)
    )


def test_town_supervisor_figures(known):
    user = known["fengqiao_supervisor"]
    by_village = {r["key"]: r for r in dashboard.counts_by(user, "village")}
    assert by_village[VILLAGES["xianjin"]] == {
        "key": VILLAGES["xianjin"],
        "open": 4,
        "due_soon": 1,
        "overdue": 2,
    }
    assert by_village[VILLAGES["yangchun"]]["overdue"] == 1
    assert VILLAGES["jiangdong"] not in by_village
    towns = dashboard.counts_by(user, "town")
    assert towns == [{"key": TOWNS["fengqiao"][:9], "open": 7, "due_soon": 1, "overdue": 3}]


def test_every_figure_equals_its_drill_down(client, known):
    user = known["zhuji_supervisor"]
    client.force_login(user)
    assert client.get(reverse("supervision:dashboard")).status_code == 200
    checked = 0
    for group in ("unit", "town", "village"):
        for row in dashboard.counts_by(user, group):
            for bucket in ("open", "due_soon", "overdue"):
                url = f"{reverse('supervision:drilldown')}?bucket={bucket}&group={group}&key={row['key']}"
                rows, shown = row_count(client, url)
                assert rows == shown == row[bucket], (group, row, bucket)
                checked += 1
    assert checked >= 18
    assert row_count(client, f"{reverse('supervision:drilldown')}?bucket=overdue") == (6, 6)


def test_rates_read_the_frozen_on_time_flags(known, settings):
    d_on_time = make(known, "xianjin", 5)
    d_late = make(known, "xianjin", -5)
    for d, code in ((d_on_time, "dispute_accept"), (d_late, "dispute_accept")):
        d.rule = d.rule.__class__.objects.get(code=code)
        d.save()
    close_deadline(d_on_time)
    close_deadline(d_late)
    today = timezone.localdate()
    rows = dashboard.rates_by_unit(known["xianjin_supervisor"], today.replace(day=1), today)
    assert [
        {k: r[k] for k in ("unit", "accepted", "acceptance_rate", "completed", "completion_rate")}
        for r in rows
    ] == [
        {
            "unit": "先进村人民调解委员会",
            "accepted": 2,
            "acceptance_rate": 50.0,
            "completed": 0,
            "completion_rate": None,
        }
    ]


def test_other_roles_are_refused(client, known):
    client.force_login(known["xianjin_mediator"])
    assert client.get(reverse("supervision:dashboard")).status_code == 403


def test_supervision_order_issue_and_reply_rules(known):
    from django.core.exceptions import PermissionDenied

    from cases.models import Case
    from cases.transitions import TransitionError
    from supervision.orders import issue_order, reply_order

    case = Case.objects.filter(region_id=VILLAGES["xianjin"]).first()
    target = known["xianjin_mediator"].unit
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        issue_order(
            known["xianjin_mediator"], case.pk, target_unit=target, required_action="x", target_date=tomorrow
        )
    with pytest.raises(Case.DoesNotExist):  # not in the issuer's jurisdiction
        issue_order(
            known["jiyang_supervisor"], case.pk, target_unit=target, required_action="x", target_date=tomorrow
        )
    order = issue_order(
        known["fengqiao_supervisor"],
        case.pk,
        target_unit=target,
        required_action="请办结",
        target_date=tomorrow,
    )
    with pytest.raises(PermissionDenied):
        reply_order(known["yangchun_mediator"], order.pk, "不是我们")
    reply_order(known["xianjin_mediator"], order.pk, "已办结")
    with pytest.raises(TransitionError):
        reply_order(known["xianjin_mediator"], order.pk, "再次回复")
    assert case.timeline.filter(action__in=["supervise", "supervise_reply"]).count() == 2


@pytest.fixture
def met(known):
    """Acceptance deadlines met this month: 2 on time, 1 late; one completion deadline on time."""
    from cases.models import DeadlineRule

    for code, due_in in (("dispute_accept", 5), ("dispute_accept", 5), ("dispute_accept", -5)):
        d = make(known, "xianjin", due_in)
        d.rule = DeadlineRule.objects.get(code=code)
        d.save()
        close_deadline(d)
    d = make(known, "yangchun", 5, handler="yangchun_mediator")
    d.rule = DeadlineRule.objects.get(code="mediation_period")
    d.save()
    close_deadline(d)
    return known


def test_every_rate_figure_equals_its_drill_down(client, met):
    user = met["zhuji_supervisor"]
    client.force_login(user)
    today = timezone.localdate()
    checked = 0
    for period in ("month", "year"):
        start, end = dashboard.period_bounds(period, today)
        for row in dashboard.rates_by_unit(user, start, end):
            for bucket in dashboard.RATE_BUCKETS:
                url = f"{reverse('supervision:drilldown')}?bucket={bucket}&period={period}&key={row['key']}"
                rows, shown = row_count(client, url)
                assert rows == shown == row[bucket], (period, row, bucket)
                checked += 1
    assert checked == 16
    totals = dashboard.rates_by_unit(user, *dashboard.period_bounds("month", today))
    assert sorted((r["accepted"], r["accepted_on_time"], r["completed"]) for r in totals) == [
        (0, 0, 1),
        (3, 2, 0),
    ]


def test_every_trend_bar_equals_its_drill_down(client, known):
    user = known["zhuji_supervisor"]
    client.force_login(user)
    trend = dashboard.monthly_trend(user)
    assert sum(m["n"] for m in trend) == 10
    for m in trend:
        rows, shown = row_count(client, f"{reverse('supervision:drilldown')}?bucket=opened&key={m['month']}")
        assert rows == shown == m["n"], m


def queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_counts_do_not_grow_with_cases_units_or_villages(client, met):
    client.force_login(met["zhuji_supervisor"])
    client.get(reverse("supervision:notifications"))  # the session's first renewal, not counted below
    urls = [
        reverse("supervision:dashboard"),
        f"{reverse('supervision:drilldown')}?bucket=overdue",
        f"{reverse('supervision:drilldown')}?bucket=accepted&period=year",
        reverse("supervision:notifications"),
    ]
    before = [queries(client, u) for u in urls]
    for village, handler in (("jiangdong", "jiangdong_mediator"), ("yangchun", "yangchun_mediator")):
        for days in (-9, -4, 1, 2, 40):
            make(met, village, days, handler=handler)
    after = [queries(client, u) for u in urls]
    assert before == after
    assert before[0] <= 16, before


def _village_rows(html):
    """(name, open, due soon, overdue) of the dashboard's village table or the full table page."""
    section = html.split('id="h-village"', 1)[1] if 'id="h-village"' in html else html
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        (name.strip(), int(o), int(s), int(d))
        for name, o, s, d in re.findall(
            r"<tr><td>([^<]*)</td>\s*<td[^>]*><a[^>]*>(\d+)</a></td>\s*<td[^>]*><a[^>]*>(\d+)</a></td>"
            r"\s*<td[^>]*><a[^>]*>(\d+)</a></td></tr>",
            body,
        )
    ]


def test_tables_show_the_most_late_rows_and_the_whole_table_is_one_click_away(client, met, settings):
    """A county has hundreds of villages: the dashboard renders the first rows (most overdue first)
    and links to the whole table, whose rows are the same figures as counts_by, named."""
    settings.DASHBOARD_TABLE_ROWS = 2
    user = met["zhuji_supervisor"]
    client.force_login(user)
    html = client.get(reverse("supervision:dashboard")).content.decode()
    villages = dashboard.counts_by(user, "village")
    assert len(villages) == 3
    shown = _village_rows(html)
    # Rows name the place (先进村), not the division list's committee (先进村委会).
    names = {r.pk: r.place_name for r in Region.objects.filter(pk__in=VILLAGES.values())}
    # 江东社区 (3 overdue) and 先进村 (2 overdue) come first, 阳春村 (1) only on the whole table.
    assert [r[0] for r in shown] == [names[VILLAGES["jiangdong"]], names[VILLAGES["xianjin"]]]
    assert [r[1:] for r in shown] == [(v["open"], v["due_soon"], v["overdue"]) for v in villages[:2]]
    assert "显示前 2 行（共 3 行）" in html
    assert reverse("supervision:table", args=["village"]) in html
    # The totals still count every row, not only the ones shown.
    total_open = sum(v["open"] for v in villages)
    assert re.search(rf'bucket=open">{total_open}</a>', html)

    whole = client.get(reverse("supervision:table", args=["village"])).content.decode()
    assert [r[0] for r in _village_rows(whole)] == [
        names[VILLAGES[v]] for v in ("jiangdong", "xianjin", "yangchun")
    ]
    assert [r[1:] for r in _village_rows(whole)] == [
        (v["open"], v["due_soon"], v["overdue"]) for v in villages
    ]

    rates = client.get(reverse("supervision:table", args=["month"])).content.decode()
    assert rates.count("bucket=accepted&amp;period=month") == 2  # both units, the late one first
    assert rates.index(met["xianjin_mediator"].unit.name) < rates.index(met["yangchun_mediator"].unit.name)
    assert client.get(reverse("supervision:table", args=["nothing"])).status_code == 404


def test_dashboard_and_table_queries_do_not_grow_with_villages(client, met, settings):
    settings.DASHBOARD_TABLE_ROWS = 1
    client.force_login(met["zhuji_supervisor"])
    urls = [reverse("supervision:dashboard"), reverse("supervision:table", args=["village"])]
    for url in urls:  # the first request fills the rates and trend cache
        client.get(url)
    before = [queries(client, u) for u in urls]
    make(met, "jiangdong", -1, handler="jiangdong_mediator")
    make(met, "xianjin", 3)
    after = [queries(client, u) for u in urls]
    assert before == after
