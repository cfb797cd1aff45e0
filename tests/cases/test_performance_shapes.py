"""Query shapes that keep pages fast at province scale (docs/performance.md): the visibility rule is a
BitmapOr of index conditions, lists count at most a capped number of rows, the dashboard's slow
historical figures are cached for a few minutes with their time shown, and the scanner inserts in
the database."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.demo import VILLAGES
from accounts.scoping import grant_case_to_unit, visible_cases
from cases.deadlines import open_deadline
from cases.models import Case
from cases.paging import CappedPaginator
from mediation.models import Dispute
from supervision.models import Reminder
from supervision.reminders import scan
from tests.dispute_helpers import new_dispute
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.requires_postgres
def test_visibility_compares_the_core_case_id_with_grant_arrays(demo):
    user = demo["xianjin_supervisor"]
    sql = str(visible_cases(user, Dispute.objects.all()).query)
    # Each grant list is an array computed once, on cases_case.id (not the dispute table's key), so
    # PostgreSQL can combine every branch of the rule with a BitmapOr.
    assert sql.count('"cases_case"."id" = ANY(ARRAY(SELECT') == 2
    assert 'case_ptr_id" IN (SELECT' not in sql


def test_grants_still_decide_visibility_for_case_types(demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    outsider = demo["jiangdong_supervisor"]
    assert not visible_cases(outsider, Dispute.objects.filter(pk=dispute.pk)).exists()
    grant_case_to_unit(dispute, outsider.unit)
    assert visible_cases(outsider, Dispute.objects.filter(pk=dispute.pk)).exists()
    assert visible_cases(outsider, Case.objects.filter(pk=dispute.pk)).exists()


def test_capped_paginator_counts_at_most_cap_plus_one_rows(demo):
    for _ in range(5):
        CaseFactory(region_id=VILLAGES["xianjin"])
    qs = Case.objects.order_by("pk")
    with CaptureQueriesContext(connection) as ctx:
        paginator = CappedPaginator(qs, 2, cap=3)
        assert paginator.count == 3
    assert "LIMIT 4" in ctx.captured_queries[0]["sql"]
    assert paginator.capped and paginator.num_pages == 2
    with translation.override("en"):
        assert paginator.count_label == "more than 3"
    exact = CappedPaginator(qs, 2, cap=10)
    assert exact.count == 5 and exact.count_label == "5" and not exact.capped


def test_dispute_list_says_more_than_the_cap(client, demo, monkeypatch):
    monkeypatch.setattr("cases.paging.CAP", 2)
    for _ in range(3):
        new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_supervisor"])
    html = client.get(reverse("disputes:list")).content.decode()
    assert "共 超过 2 件" in html  # the messages are compiled by make messages


def test_dashboard_history_is_cached_with_its_time(client, demo, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    client.force_login(demo["fengqiao_supervisor"])
    client.get(reverse("supervision:notifications"))  # the session's first renewal, not counted below
    url = reverse("supervision:dashboard")
    with CaptureQueriesContext(connection) as first:
        assert 'id="figures-as-of"' in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    # The trend and both rate tables come from the cache: three queries fewer.
    assert len(first.captured_queries) - len(second.captured_queries) == 3
    cache.clear()


def test_dashboard_reads_only_the_rates_it_shows_from_the_cache(client, demo, settings):
    """The dashboard keeps the first rows of each rate table and its size on their own: the whole
    table (a row per unit of the province) is read only by the table page."""
    from django.core.cache import cache

    from petitions import workflow as wf
    from supervision.views.dashboard import _rates
    from tests.petitions.helpers import new_petition

    clerk, handlers = demo["zhuji_petition_clerk"], [demo["zhuji_handler"], demo["zhuji_petition_clerk"]]
    for handler in handlers:  # acceptance notices met by two units: two rows, one shown
        petition = new_petition(clerk)
        if handler.unit != clerk.unit:
            wf.forward(petition.pk, clerk, handler.unit)
        wf.accept(petition.pk, handler)
    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_TABLE_ROWS = 300, 1
    cache.clear()
    user = demo["zhuji_supervisor"]
    client.force_login(user)
    url = reverse("supervision:dashboard")
    first = client.get(url)
    whole = {period: _rates(user, period)[0] for period in ("month", "year")}
    assert len(whole["month"]) == len(whole["year"]) == 2
    read = []
    real_get = cache.get

    def get(key, *args, **kwargs):
        read.append(key)
        return real_get(key, *args, **kwargs)

    cache.get = get
    try:
        second = client.get(url)
    finally:
        del cache.get
    assert not [key for key in read if key.split(":")[2] in ("month_rates", "year_rates")]
    limit = first.context["limit"]
    assert limit == 1
    for period in ("month", "year"):
        assert second.context[f"{period}_rates"] == whole[period][:limit]
        assert second.context["rate_sizes"][period] == len(whole[period])
    cache.clear()


def test_scan_inserts_every_due_reminder_once(demo):
    user = demo["xianjin_mediator"]
    today = timezone.localdate()
    for days in (-5, 0, 1, 30):
        case = CaseFactory(region_id=VILLAGES["xianjin"], handler=user, handling_unit=user.unit)
        open_deadline(
            case,
            "performance",
            today - datetime.timedelta(days=40),
            due_date=today + datetime.timedelta(days=days),
        )
    first = scan()
    stages = sorted(Reminder.objects.values_list("stage", flat=True))
    assert first == len(stages) == 4  # overdue (5 days: also escalated), due today, due tomorrow
    assert stages == ["due_today", "due_tomorrow", "escalated", "overdue"]
    assert scan() == 0
    assert Reminder.objects.count() == 4


def test_search_finds_parties_by_part_of_the_name(demo):
    from mediation.selectors import dispute_list

    user = demo["xianjin_mediator"]
    dispute = new_dispute(user)  # applicant 张三明
    found = dispute_list(user, {"q": "张三明"})
    assert list(found.values_list("pk", flat=True)) == [dispute.pk]
    assert list(dispute_list(user, {"q": "三明"}).values_list("pk", flat=True)) == []  # 2 chars: the start
    assert list(dispute_list(user, {"q": "张三"}).values_list("pk", flat=True)) == [dispute.pk]
    assert not dispute_list(user, {"q": "王五"}).exists()
    if connection.vendor == "postgresql":
        # A condition on the core case id: it joins the visibility bitmap before any table join.
        assert '"cases_case"."id" = ANY(ARRAY(SELECT U0."case_id"' in str(found.query)
