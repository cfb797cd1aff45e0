"""Dashboard figures equal the row counts of the lists they drill into (fixture of known counts)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import TOWNS, VILLAGES
from cases import dashboard
from cases.deadlines import close_deadline, open_deadline
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
    assert rows == [
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
    from cases.supervision import issue_order, reply_order
    from cases.transitions import TransitionError

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
