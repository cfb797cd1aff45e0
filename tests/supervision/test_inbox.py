"""The home page is an inbox: what the user and their unit must do, every row a link, in a fixed
number of queries; the menu shows how many things wait."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.calendar import add_working_days
from cases.deadlines import end_of_day
from cases.handoffs import case_url
from cases.inbox import review_statuses
from supervision.inbox import home_inbox, waiting_counts
from supervision.models import Notification, NotificationKind
from supervision.orders import issue_order
from tests.dispute_helpers import new_dispute
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
XIANJIN = "330681109219"


def due(days_from_today: int):
    return end_of_day(timezone.localdate() + datetime.timedelta(days=days_from_today))


def handled_by(user, **fields):
    return CaseFactory(region_id=XIANJIN, handler=user, handling_unit=user.unit, **fields)


def test_an_overdue_case_is_red_with_days_late_and_never_due_soon(demo, client):
    mediator = demo["xianjin_mediator"]
    late = handled_by(mediator, next_due_at=due(-3))
    today = handled_by(mediator, next_due_at=due(0))
    in_window = handled_by(mediator, next_due_at=end_of_day(add_working_days(timezone.localdate(), 3).date))
    far = handled_by(mediator, next_due_at=due(40))
    box = home_inbox(mediator)
    assert [c.pk for c in box["overdue"]] == [late.pk] and box["overdue"][0].days_late == 3
    assert [c.pk for c in box["due_soon"]] == [today.pk, in_window.pk]
    assert far.pk not in {c.pk for c in box["overdue"] + box["due_soon"]}
    client.force_login(mediator)
    html = client.get("/").content.decode()
    row = re.search(r'<span class="text-danger fw-semibold overdue">(.*?)</span>', html, re.S).group(1)
    assert "3" in row


def test_every_case_row_links_to_the_case_page(demo, client):
    mediator = demo["xianjin_mediator"]
    cases = [handled_by(mediator, next_due_at=due(d)) for d in (-1, 1, 30)]
    client.force_login(mediator)
    html = client.get("/").content.decode()
    for case in cases:
        assert f'href="{case_url(case)}"' in html


def test_a_new_handoff_waits_until_the_case_is_opened(demo, client):
    grid, mediator = demo["xianjin_grid_worker"], demo["xianjin_mediator"]
    d = new_dispute(grid, summary="宅基地边界纠纷")
    assert [n.case_id for n in home_inbox(mediator)["handoffs"]] == [d.pk]
    client.force_login(mediator)
    html = client.get("/").content.decode()
    assert f'href="{case_url(d)}"' in html and d.number in html
    client.get(case_url(d))
    assert home_inbox(mediator)["handoffs"] == []
    assert waiting_counts(mediator)["handoffs"] == 0


def test_an_order_awaiting_our_reply_links_to_the_reply_page(demo, client):
    mediator, supervisor = demo["xianjin_mediator"], demo["fengqiao_supervisor"]
    d = new_dispute(mediator)
    order = issue_order(supervisor, d.pk, target_unit=mediator.unit, required_action="限期化解",
                        target_date=timezone.localdate() + datetime.timedelta(days=3))  # fmt: skip
    assert [o.pk for o in home_inbox(mediator)["orders"]] == [order.pk]
    assert home_inbox(supervisor)["orders"] == []  # the issuer waits for nothing
    client.force_login(mediator)
    assert f'href="{reverse("supervision:reply", args=[order.pk])}"' in client.get("/").content.decode()


def test_reviews_waiting_are_the_pending_reviews_my_unit_decides(demo):
    from petitions.models import Petition, ReviewRequest
    from tests.petitions.helpers import new_petition

    assert {"review_requested", "rereview_requested"} <= review_statuses()  # registered by petitions
    clerk, county = (
        demo["zhuji_petition_clerk"],
        demo["zhuji_supervisor"],
    )  # 信访局 handles; the centre reviews

    def petition(status, **request):
        p = new_petition(clerk)
        Petition.objects.filter(pk=p.pk).update(status=status)
        if request:
            ReviewRequest.objects.create(petition_id=p.pk, requested_on=p.received_on, **request)
        return p

    waiting = petition("rereview_requested", level="rereview", reviewing_unit=county.unit)
    petition(
        "review_requested", level="review", reviewing_unit=county.unit, decided_on=datetime.date(2026, 11, 5)
    )
    own = petition("review_requested")  # nothing for the centre to decide
    assert [c.pk for c in home_inbox(county)["reviews"]] == [waiting.pk]
    assert waiting_counts(county)["reviews"] == 1
    # The unit whose opinion is reviewed never decides it: not waiting for the bureau.
    assert waiting.pk not in [c.pk for c in home_inbox(clerk)["reviews"]]
    assert own.pk not in [c.pk for c in home_inbox(county)["reviews"]]


def test_the_menu_counts_what_waits(demo, client):
    mediator = demo["xianjin_mediator"]
    handled_by(mediator, next_due_at=due(-2))
    handled_by(mediator, next_due_at=due(20))
    new_dispute(demo["xianjin_grid_worker"])  # one unopened hand-off
    counts = waiting_counts(mediator)
    assert counts["overdue"] == 1 and counts["handoffs"] == 1
    client.force_login(mediator)
    html = client.get(reverse("supervision:orders")).content.decode()
    badge = re.search(r'<span class="badge text-bg-danger"[^>]*>(\d+)<span', html)
    assert badge and int(badge.group(1)) == sum(counts.values())


def test_the_count_leaves_out_what_is_withheld_from_my_unit(demo):
    mediator = demo["xianjin_mediator"]
    handled_by(mediator, next_due_at=due(-2), withheld_from_unit=mediator.unit)
    assert waiting_counts(mediator)["overdue"] == 0 and home_inbox(mediator)["overdue"] == []


def test_an_empty_inbox_says_so(demo, client):
    client.force_login(demo["jiangdong_mediator"])
    html = client.get("/").content.decode()
    assert html.count('class="empty-state"') >= 5


@pytest.mark.parametrize("size", [10, 200])
def test_home_page_queries_do_not_grow_with_the_data(demo, client, size):
    user = demo["fengqiao_supervisor"]
    CaseFactory.create_batch(
        size, region_id=XIANJIN, handler=user, handling_unit=user.unit, next_due_at=due(-1)
    )
    CaseFactory.create_batch(
        size, region_id=XIANJIN, handler=user, handling_unit=user.unit, next_due_at=due(1)
    )
    CaseFactory.create_batch(size, region_id=XIANJIN, handling_unit=user.unit, status="review_requested")
    cases = CaseFactory.create_batch(size, region_id=XIANJIN, handling_unit=user.unit)
    Notification.objects.bulk_create(
        Notification(
            user=user,
            title="转来",
            body="",
            kind=NotificationKind.HANDOFF,
            case=c,
            case_ids=[c.pk],
            link=case_url(c),
        )  # fmt: skip
        for c in cases
    )
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert len(queries) == HOME_QUERIES, [q["sql"][:120] for q in queries]


# session, user (with the waiting counts), 5 case sections, hand-offs, orders, the working-day
# calendar (year list + one year), the session renewal check, the saved filters shown on the home
# page (their counts, one more query when there are any: tests/cases/test_saved_filters.py), the
# early warnings the user's unit must act on, and "我的包案" (my 包案 as leader or staff, with
# the key persons whose review falls to me: analysis.duty_selectors.panel), both through
# supervision.panels: measured, whatever the number of rows.
HOME_QUERIES = 15


def test_the_notification_list_links_each_notification(demo, client):
    mediator = demo["xianjin_mediator"]
    d = new_dispute(demo["xianjin_grid_worker"])
    Notification.objects.create(user=mediator, title="没有链接的提醒", body="")
    client.force_login(mediator)
    html = client.get(reverse("supervision:notifications")).content.decode()
    assert f'<a href="{case_url(d)}">' in html
    assert "没有链接的提醒</h2>" in html


def test_s30_a_handoff_about_a_case_withheld_since_names_it_nowhere(demo, client):
    grid, mediator = demo["xianjin_grid_worker"], demo["xianjin_mediator"]
    d = new_dispute(grid, summary="举报村调委会")
    type(d).objects.filter(pk=d.pk).update(withheld_from_unit=mediator.unit)
    assert home_inbox(mediator)["handoffs"] == [] and waiting_counts(mediator)["handoffs"] == 0
    client.force_login(mediator)
    for url in ("/", reverse("supervision:notifications")):
        assert d.number not in client.get(url).content.decode()
