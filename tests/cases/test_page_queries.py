"""List and detail pages run a fixed number of SQL statements, at most 12 (issue 9), for 10 cases and
for 200: counted as ``manage.py bench`` counts them, outside a test transaction, so a BEGIN or
COMMIT the request issued would be counted too (docs/performance.md, "Query counts").

The statements, once the session is renewed (at most once a minute, one UPDATE more):
  every page   the session, the user (unit, region, roles and unread count in one query)
  lists        + the capped count, the page, its party links (with the details given on the case)
  drill-down   + the count, the page
  detail       + the case (with its timeline's length), party links, deadlines, timeline (the latest
               entries and those the page's rules read, cases.timeline_fold), attachments, then
               dispute: sessions (with their mediators' names), follow-ups;
               petition: visits, evaluations, reviews;
               then the parties' other cases (disputes only) and the personal-data access record
               (one INSERT, for users who see ID numbers and phones in full). A case that is either
               end of a dispute -> petition link costs one statement more (the links the user may
               see; analysis.conversions): whether it is one is read with the case itself.
"""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SessionRenewalMiddleware
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 14
EXPECTED = {
    "dispute list": 5,
    "dispute list, filtered, newest, page 3": 5,
    "petition list": 5,
    "petition list, filtered": 5,
    "drill-down, overdue": 4,
    "drill-down, opened this year": 4,
    # + its supervision orders; + reading its hand-off notices only for a user with unread
    # notices (none here: test_reading_hand_off_notices_is_one_statement_when_there_are_unread_ones)
    "dispute detail": 12,
    "dispute detail, masked": 11,  # a grid worker sees masked values: nothing to record
    "petition detail": 12,
}


def build(demo, disputes, petitions):
    from mediation import workflow
    from mediation.models import AgreementForm, SessionOutcome
    from petitions import workflow as wf

    m, clerk, handler = demo["xianjin_mediator"], demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    for _ in range(disputes):
        new_dispute(m)
    for _ in range(petitions):
        new_petition(clerk)
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    for _ in range(2):
        workflow.record_session(
            d.pk, m, held_at=timezone.now(), place="调解室", attendees="双方", record="笔录",
            outcome=SessionOutcome.CONTINUE, mediators=[m, demo["fengqiao_mediator"]],
        )  # fmt: skip
    workflow.record_agreement(
        d.pk, m, form=AgreementForm.WRITTEN, terms="李四于一周内疏通排水沟。",
        effective_date=timezone.localdate() - datetime.timedelta(days=1), performance_due=timezone.localdate(),
    )  # fmt: skip
    workflow.record_follow_up(d.pk, m, date=timezone.localdate(), method="phone", satisfaction="satisfied")
    p = new_petition(clerk, channel="visit")
    wf.add_visit(p.pk, clerk, visited_on=datetime.date(2026, 11, 10), head_count=2)
    wf.forward(p.pk, clerk, handler.unit)
    wf.accept(p.pk, handler)
    wf.reply(p.pk, handler, outcome="supported", text="责令公司支付工资。")
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=timezone.localdate())
    wf.request_review(p.pk, clerk, requested_on=timezone.localdate())
    return d, p


def pages(d, p):
    disputes, petitions, drill = (
        reverse("disputes:list"),
        reverse("petitions:list"),
        reverse("supervision:drilldown"),
    )
    return [
        ("xianjin_mediator", "dispute list", disputes),
        ("xianjin_mediator", "dispute list, filtered, newest, page 3", f"{disputes}?sort=-opened&page=3&status=registered"),
        ("zhuji_supervisor", "dispute list", disputes),
        ("zhuji_petition_clerk", "petition list", petitions),
        ("zhuji_petition_clerk", "petition list, filtered", f"{petitions}?channel=letter&status=registered"),
        ("zhuji_supervisor", "drill-down, overdue", f"{drill}?bucket=overdue"),
        ("zhuji_supervisor", "drill-down, opened this year", f"{drill}?bucket=accepted&period=year"),
        ("xianjin_mediator", "dispute detail", reverse("disputes:detail", args=[d.pk])),
        ("zhuji_supervisor", "dispute detail", reverse("disputes:detail", args=[d.pk])),
        ("xianjin_grid_worker", "dispute detail, masked", reverse("disputes:detail", args=[d.pk])),
        ("zhuji_petition_clerk", "petition detail", reverse("petitions:detail", args=[p.pk])),
        ("zhuji_supervisor", "petition detail", reverse("petitions:detail", args=[p.pk])),
    ]  # fmt: skip


def statements(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return [q["sql"] for q in ctx.captured_queries]


def renew_next_request(client, settings):
    """Date the last renewal back past the window, so the next request renews the session."""
    session = client.session
    session[SessionRenewalMiddleware.KEY] -= settings.SESSION_RENEW_AFTER_SECONDS + 1
    expires = Session.objects.get(pk=session.session_key).expire_date
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=expires)


def counts(client, demo, plan, settings):
    from supervision.models import Notification

    # With unread notices a detail page reads its hand-off notices: one statement more, counted in
    # test_reading_hand_off_notices_is_one_statement_when_there_are_unread_ones.
    Notification.objects.update(read_at=timezone.now())
    found = {}
    for username, name, url in plan:
        client.force_login(demo[username])
        client.get(url)  # the renewal after login, and the filter choices into the cache
        sql = statements(client, url)
        assert not any(s.startswith(("BEGIN", "COMMIT", "SAVEPOINT")) for s in sql), (name, sql)
        assert not any("django_session" in s and not s.startswith("SELECT") for s in sql), (name, sql)
        renew_next_request(client, settings)
        renewed = statements(client, url)
        assert len(renewed) == len(sql) + 1 and renewed[-1].startswith('UPDATE "django_session"'), name
        found[(username, name)] = len(sql)
    return found


@pytest.fixture
def cached_choices(settings):
    settings.REFERENCE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_list_and_detail_pages_run_at_most_14_statements_for_10_and_200_cases(
    client, demo, settings, cached_choices
):
    d, p = build(demo, 9, 9)
    plan = pages(d, p)
    few = counts(client, demo, plan, settings)
    assert few == {(u, name): EXPECTED[name] for u, name, _url in plan}
    # A renewal request is one statement more, still within the limit.
    assert max(few.values()) + 1 <= LIMIT
    build(demo, 190, 190)
    assert counts(client, demo, plan, settings) == few


def test_mediators_are_named_from_the_sessions_query(client, demo, settings):
    d, _p = build(demo, 0, 0)
    client.force_login(demo["xianjin_mediator"])
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    first, second = demo["xianjin_mediator"], demo["fengqiao_mediator"]
    assert html.count(f"{first}、{second}") + html.count(f"{second}、{first}") == 2  # both sessions


def test_reading_hand_off_notices_is_one_statement_when_there_are_unread_ones(client, demo, settings):
    from supervision.models import Notification, NotificationKind

    d, _p = build(demo, 0, 0)
    user = demo["xianjin_mediator"]
    Notification.objects.filter(user=user).update(read_at=timezone.now())
    url = reverse("disputes:detail", args=[d.pk])
    client.force_login(user)
    client.get(url)
    none_unread = statements(client, url)
    Notification.objects.create(user=user, case_id=d.pk, kind=NotificationKind.HANDOFF, title="移交")
    unread = statements(client, url)
    assert len(unread) == len(none_unread) + 1
    assert any(s.startswith('UPDATE "cases_notification"') for s in unread)
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
