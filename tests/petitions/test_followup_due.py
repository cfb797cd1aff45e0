"""The original unit's follow-up after a review revoked or varied its opinion (信访工作条例 §35,
§36; petitions.followup) is a time limit like the others: a matter finalised by 复核 keeps it in the
original unit's inbox (overdue, due soon) until reported, and the statistics count it overdue until
reported."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import TOWNS
from accounts.models import Region
from cases.handoffs import case_url
from petitions import workflow as wf
from petitions.models import Petition
from reporting import petition_stats
from reporting.periods import Period
from supervision.inbox import home_inbox, waiting_counts
from tests.petitions.helpers import finalised_by_rereview

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def ids(rows):
    return [c.pk for c in rows]


def test_s36_finalised_matter_keeps_the_followup_in_the_original_units_inbox(demo, client):
    town, clerk = demo["fengqiao_handler"], demo["zhuji_petition_clerk"]
    p = finalised_by_rereview(demo, "varied")  # decided 70 days ago: the 60 days ran out
    assert Petition.objects.get(pk=p.pk).closed_at is not None
    box = home_inbox(town)
    assert p.pk in ids(box["overdue"]) and p.pk not in ids(box["due_soon"])
    assert waiting_counts(town)["overdue"] >= 1  # the menu's count says so too
    assert p.pk not in ids(home_inbox(clerk)["overdue"])  # the reviewing body owes nothing by a date
    # The row links to the case page, where the report_followup button is.
    client.force_login(town)
    home = client.get("/").content.decode()
    overdue = home[home.index('id="h-overdue"') : home.index('id="h-soon"')]
    assert f'href="{case_url(p)}"' in overdue
    assert (
        reverse("petitions:action", args=[p.pk, "report_followup"])
        in client.get(case_url(p)).content.decode()
    )
    wf.report_followup(p.pk, town, "已按变更后的意见补发工资。")
    box = home_inbox(town)
    assert p.pk not in ids(box["overdue"]) + ids(box["due_soon"])
    assert f'href="{case_url(p)}"' not in client.get("/").content.decode()


def test_s36_followup_due_soon_is_listed_as_due_soon(demo):
    town = demo["fengqiao_handler"]
    p = finalised_by_rereview(demo, "revoked", decided_days_ago=59)  # due tomorrow (or the next workday)
    box = home_inbox(town)
    assert p.pk in ids(box["due_soon"]) and p.pk not in ids(box["overdue"])


def test_s36_finalised_matter_without_a_followup_stays_out_of_the_inbox(demo):
    p = finalised_by_rereview(demo, "upheld")
    box = home_inbox(demo["fengqiao_handler"])
    assert p.pk not in ids(box["overdue"]) + ids(box["due_soon"])


def test_s36_unreported_followup_counts_overdue_until_reported(demo):
    """An overdue follow-up counts in 期末超期数 while not reported; reported within the period, it
    does not count at the period's end (reported after the period, it still counts for it)."""
    user, region = demo["zhuji_statistician"], Region.objects.get(code=TOWNS["fengqiao"])
    # Walked a month ago (every other limit was met then): decided 100 days ago, due about 40 days ago.
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - 30 * DAY):
        p = finalised_by_rereview(demo, "revoked")
    due = wf.deadlines.open_deadline_of(p, "petition_review_followup").due_date
    period = Period(due + DAY, timezone.localdate() - 3 * DAY)

    def overdue():
        return {c.pk for c in petition_stats.drill(user, region, period, "overdue", "total")}

    def figure():
        summary = petition_stats.compute(user, region, period)["sheets"][0]
        return summary.total.values["overdue"]

    assert p.pk in overdue() and figure() == 1
    # Reported five days ago (the clock set then): within the period, so no longer overdue at its end.
    moment = timezone.now() - 5 * DAY
    with mock.patch("django.utils.timezone.now", return_value=moment):
        wf.report_followup(p.pk, demo["fengqiao_handler"], "已重新办理。")
    assert p.pk not in overdue() and figure() == 0
    # The period that ended before the report still counts it.
    earlier = Period(due + DAY, moment.date() - 2 * DAY)
    assert p.pk in {c.pk for c in petition_stats.drill(user, region, earlier, "overdue", "total")}
