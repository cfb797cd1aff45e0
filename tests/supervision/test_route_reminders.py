"""The reminders of a route's limit (多元化解, mediation.routes) go to the unit that must act within it:
the receiving unit's members, on overdue also the supervisors of its place, on escalation those one
level above it (cases.deadline_owners, filled by mediation). Every other deadline of the routed
dispute is addressed as before: its handler in the village committee."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.deadlines import end_of_day, open_deadline
from cases.models import Deadline, DeadlineState
from mediation import workflow
from mediation.models import Dispute, RouteChannel
from supervision.models import Notification, Reminder, SupervisionOrder
from supervision.reminders import scan, send
from tests.mediation.test_routes import labour_committee, mediating, routed_to_labour
from tests.supervision.test_reminders import NOW

pytestmark = pytest.mark.django_db
D = datetime.date
TOMORROW, OVERDUE, ESCALATED = D(2026, 11, 25), D(2026, 11, 23), D(2026, 11, 10)


def route_due(demo, due: datetime.date) -> Dispute:
    """A dispute of the village committee routed to the county labour committee, its route's limit
    (15 days, 劳动争议调解仲裁法 §14) falling due on ``due``."""
    dispute = routed_to_labour(demo)
    _due_on(dispute, "dispute_route_labour", due)
    return dispute


def _due_on(dispute, code, due):
    deadline = dispute.deadlines.get(rule__code=code, state=DeadlineState.OPEN)
    Deadline.objects.filter(pk=deadline.pk).update(due_date=due, due_at=end_of_day(due))


def reminded(username):
    """The case ids named by ``username``'s reminder digests."""
    return {pk for ids in Notification.objects.filter(
        user__username=username, kind="reminder").values_list("case_ids", flat=True) for pk in ids}  # fmt: skip


def test_a_route_due_tomorrow_reminds_the_receiving_committee_not_the_village(client, demo):
    dispute = route_due(demo, TOMORROW)
    assert dispute.handler == demo["xianjin_mediator"] and dispute.route_unit == labour_committee()
    scan(NOW)
    assert send(NOW) == 1
    assert reminded("laodong_mediator") == {dispute.pk}
    for username in ("xianjin_mediator", "xianjin_supervisor", "zhuji_supervisor"):
        assert reminded(username) == set(), username
    # The notification links to the case page, which the committee may open (its 交办 grant).
    client.force_login(demo["laodong_mediator"])
    page = client.get(reverse("supervision:notifications")).content.decode()
    url = reverse("disputes:detail", args=[dispute.pk])
    assert f'href="{url}"' in page
    assert client.get(url).status_code == 200


def test_an_overdue_route_also_reminds_the_supervisors_of_the_receiving_units_place(demo):
    dispute = route_due(demo, OVERDUE)
    scan(NOW)
    send(NOW)
    # The labour committee sits in the county: the county centre's supervisor, not the village's.
    assert reminded("laodong_mediator") == reminded("zhuji_supervisor") == {dispute.pk}
    for username in ("xianjin_mediator", "xianjin_supervisor", "fengqiao_supervisor"):
        assert reminded(username) == set(), username


def test_an_escalated_route_goes_one_level_above_the_receiving_unit_and_its_order_to_it(demo):
    dispute = route_due(demo, ESCALATED)
    scan(NOW)
    send(NOW)
    escalated = Reminder.objects.get(deadline__case=dispute, stage="escalated")
    # One level above a county unit is the county itself (as for a case the county handles).
    supervisor = Notification.objects.get(user=demo["zhuji_supervisor"], kind="reminder")
    assert escalated.pk in supervisor.reminder_ids
    assert reminded("fengqiao_supervisor") == set() and reminded("xianjin_mediator") == set()
    order = SupervisionOrder.objects.get(case=dispute)
    assert order.target_unit == labour_committee()
    assert order.issuing_unit == demo["zhuji_supervisor"].unit
    told = set(
        Notification.objects.filter(kind="handoff", action="supervise").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"laodong_mediator"}


def test_the_other_deadlines_of_a_routed_dispute_go_to_its_handler_as_before(demo):
    dispute = routed_to_labour(demo)
    open_deadline(dispute, "performance", TOMORROW - datetime.timedelta(days=1), due_date=TOMORROW)
    late = open_deadline(dispute, "performance", OVERDUE - datetime.timedelta(days=1), due_date=OVERDUE)
    scan(NOW)
    assert send(NOW) == 2
    assert reminded("xianjin_mediator") == {dispute.pk}
    assert reminded("xianjin_supervisor") == {dispute.pk}  # the overdue one: the village's place
    assert reminded("laodong_mediator") == set() and reminded("zhuji_supervisor") == set()
    note = Notification.objects.get(user=demo["xianjin_supervisor"], kind="reminder")
    assert note.reminder_ids == [Reminder.objects.get(deadline=late).pk]


def test_a_route_to_a_body_outside_the_portal_is_reminded_to_the_sending_side(demo):
    dispute = mediating(demo)
    workflow.TRANSITIONS["route"].execute(
        dispute.pk, demo["xianjin_mediator"],
        {"channel": RouteChannel.COURT, "unit": None, "field": "", "body_name": "诸暨市人民法院",
         "court_case_number": "（2026）浙0681民诉前调7号", "reason": "当事人同意诉前委派调解"},
    )  # fmt: skip
    _due_on(dispute, "dispute_route", TOMORROW)
    scan(NOW)
    send(NOW)
    # The sending side records a court's result, so it answers for the limit.
    assert reminded("xianjin_mediator") == {dispute.pk} and reminded("laodong_mediator") == set()


def test_a_route_whose_result_came_back_is_not_reminded(demo):
    dispute = route_due(demo, TOMORROW)
    workflow.TRANSITIONS["route_result"].execute(
        dispute.pk, demo["laodong_mediator"],
        {"outcome": "success", "result": "双方达成协议", "result_on": datetime.date.today(), "court_case_number": ""},
    )  # fmt: skip
    scan(NOW)
    assert send(NOW) == 0 and reminded("laodong_mediator") == set()


def _queries_of_a_run(demo, n) -> int:
    for i in range(n):
        route_due(demo, (TOMORROW, OVERDUE, ESCALATED)[i % 3])
    scan(NOW)
    with CaptureQueriesContext(connection) as ctx:
        send(NOW, batch=1000)
    return len(ctx.captured_queries)


def test_the_queries_of_a_run_do_not_grow_with_the_routed_cases(demo):
    _queries_of_a_run(demo, 3)  # warm-up: the calendar, role groups and the like are read once
    few = _queries_of_a_run(demo, 3)
    many = _queries_of_a_run(demo, 30)
    assert few == many, (few, many)
    # Each run: one digest for the committee, one for the county supervisor (overdue, escalated).
    assert Notification.objects.filter(user=demo["laodong_mediator"], kind="reminder").count() == 3
    assert (
        len(Notification.objects.filter(user=demo["laodong_mediator"], kind="reminder").first().case_ids)
        == 30
    )
    assert not Notification.objects.filter(user=demo["xianjin_mediator"], kind="reminder").exists()
