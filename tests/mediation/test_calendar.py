"""The session calendar (mediation.calendar): a week and a month, mine or a unit's (a supervisor
opens the units of their jurisdiction, nobody another's), Chinese weekdays and month, the statutory
deadlines of my cases on their due dates, and a fixed number of queries whatever the sessions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from mediation import workflow
from mediation.calendar import period
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db
URL = reverse("disputes:calendar")


def at(day, hour=9, minute=30):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def next_week_monday():
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def mediating(demo, user="xianjin_mediator", village="xianjin", summary="邻里排水沟纠纷"):
    m = demo[user]
    d = new_dispute(m, village=village, summary=summary)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    return d, m


def test_periods_run_monday_to_sunday_and_months_in_whole_weeks():
    start, end, first, after = period("week", datetime.date(2026, 12, 3))
    assert (start, end) == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 7)) == (first, after)
    start, end, first, after = period("month", datetime.date(2026, 12, 15))
    assert (first, after) == (datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))
    assert start == datetime.date(2026, 11, 30) and end == datetime.date(2027, 1, 4)  # Monday to Sunday


def test_my_week_shows_my_sessions_in_chinese(demo, client):
    d, m = mediating(demo)
    monday = next_week_monday()
    workflow.schedule_session(d.pk, m, starts_at=at(monday + datetime.timedelta(days=2)), place="村调解室")
    other, o = mediating(demo, "yangchun_mediator", "yangchun", "另一村的纠纷")
    workflow.schedule_session(
        other.pk, o, starts_at=at(monday + datetime.timedelta(days=2)), place="阳春村委"
    )
    client.force_login(m)
    with override("zh-hans"):
        html = client.get(URL, {"date": monday.isoformat()}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert d.number in html and "村调解室" in html
    assert other.number not in html and "阳春村委" not in html
    for name in ("周一", "周二", "周三", "周四", "周五", "周六", "周日"):
        assert name in html
    assert "data-print" in html  # the print button (static/js/calendar.js)


def test_month_view_names_the_month_and_shows_the_deadlines_of_my_cases(demo, client):
    d, m = mediating(demo)
    due = d.deadlines.get(rule__code="mediation_period").due_date
    client.force_login(m)
    html = client.get(URL, {"view": "month", "date": due.isoformat()}).content.decode()
    assert f"{due.year}年{due.month}月" in html
    assert d.number in html  # the mediation period's deadline on its due date
    assert f'id="d-{due:%Y%m%d}"' in html


def test_a_mediator_sees_their_unit_but_not_another(demo, client):
    d, m = mediating(demo)
    workflow.schedule_session(d.pk, m, starts_at=at(next_week_monday()), place="村调解室")
    client.force_login(demo["yangchun_mediator"])
    assert client.get(URL, {"who": "unit", "unit": m.unit_id}).status_code == 404
    html = client.get(URL, {"who": "unit", "date": next_week_monday().isoformat()}).content.decode()
    assert d.number not in html


def test_a_supervisor_opens_the_units_of_their_jurisdiction(demo, client):
    d, m = mediating(demo)
    workflow.schedule_session(d.pk, m, starts_at=at(next_week_monday()), place="村调解室")
    params = {"who": "unit", "unit": m.unit_id, "date": next_week_monday().isoformat()}
    client.force_login(demo["fengqiao_supervisor"])  # the town above the village
    html = client.get(URL, params).content.decode()
    assert d.number in html and "村调解室" in html
    client.force_login(demo["jiyang_supervisor"])  # another town
    assert client.get(URL, params).status_code == 404


def test_roles_without_sessions_are_refused(demo, client):
    client.force_login(demo["xianjin_grid_worker"])
    assert client.get(URL).status_code == 403


def test_a_fixed_number_of_queries_whatever_the_sessions(demo, client, django_assert_num_queries):
    d, m = mediating(demo)
    monday = next_week_monday()
    client.force_login(m)
    params = {"view": "month", "date": monday.isoformat(), "who": "unit"}
    workflow.schedule_session(d.pk, m, starts_at=at(monday), place="村调解室")
    client.get(URL, params)  # warm the per-process caches (roles, reference lists)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(URL, params).status_code == 200
    for i in range(1, 10):
        e, _ = mediating(demo, summary=f"纠纷{i}")
        workflow.schedule_session(e.pk, m, starts_at=at(monday + datetime.timedelta(days=i % 7), 8 + i),
                                  place=f"调解室{i}", mediators=[m, demo["fengqiao_mediator"]])  # fmt: skip
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(URL, params).content.decode()
    assert html.count("调解室") >= 10
