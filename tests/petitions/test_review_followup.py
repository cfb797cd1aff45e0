"""Hand-off documents and what follows a review (信访工作条例 2022): the 交办 办结报告 (§22 ¶1(三)) and
the notice of a skip-level referral (§19, §23 ¶1) as PDFs that exist only after their step; a hearing
during 复查 (§31(6)) whose days count, unlike 复核's (§36 ¶2); and a review that revokes or varies the
opinion (§35, §36), which binds the original handling unit to act and report by a date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone

from accounts.demo import TOWNS
from cases.models import Deadline, DeadlineState
from cases.transitions import TransitionError
from petitions import letters as documents  # the letters the PDF view renders
from petitions import workflow as wf
from petitions.models import Petition, ReviewRequest
from supervision.models import Notification, NotificationKind
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def deadline(p, code):
    return Deadline.objects.filter(case_id=p.pk, rule__code=code).select_related("rule").latest("pk")


def told(user, p, action):
    return Notification.objects.filter(user=user, case_id=p.pk, kind=NotificationKind.HANDOFF, action=action)


def offered(p, user):
    return {s.name for s in wf.TRANSITIONS.offered(Petition.objects.get(pk=p.pk), user)}


@pytest.fixture
def rendered(monkeypatch):
    """The HTML a PDF view renders (WeasyPrint itself is exercised by the step walk)."""
    found = {}

    def capture(template, context):
        found["html"] = render_to_string(template, context)
        return b"%PDF-1.7 stand-in"

    monkeypatch.setattr(documents, "render_pdf", capture)
    return found


def town_claim(demo, *, replied_on=None):
    """A claim in 枫桥镇 forwarded by the county bureau to the town government, accepted on route (6)
    and replied to: the town government issued the opinion; the county bureau reviews it."""
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    p = new_petition(clerk, region=TOWNS["fengqiao"])
    wf.forward(p.pk, clerk, town.unit)
    wf.accept(p.pk, town)
    wf.reply(p.pk, town, outcome="not_supported", text="不予支持。", replied_on=replied_on)
    return p


def under_review(demo, *, days_ago=0):
    clerk = demo["zhuji_petition_clerk"]
    p = town_claim(demo, replied_on=today() - (days_ago + 2) * DAY)
    wf.record_delivery(
        p.pk, clerk, document="opinion", method="post", delivered_on=today() - (days_ago + 1) * DAY
    )
    wf.request_review(p.pk, clerk, requested_on=today() - days_ago * DAY)
    return p


def page(client, user, p):
    client.force_login(user)
    return client.get(reverse("petitions:detail", args=[p.pk]))


# §22 ¶1(三): the 办结报告 --------------------------------------------------------------------------


def test_s22_completion_report_is_a_document_after_the_report(demo, client, rendered):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    wf.assign(p.pk, clerk, handler.unit, report_due_on=today() + 20 * DAY)
    wf.accept(p.pk, handler)
    url = reverse("petitions:pdf", args=[p.pk, "report"])
    client.force_login(clerk)
    assert client.get(url).status_code == 404  # not reported yet: no report
    assert url not in page(client, clerk, p).content.decode()
    wf.report_result(p.pk, handler, "已责令企业支付拖欠工资，信访人已领取。")
    # The assigning office and the receiving unit both see it, linked on the page.
    for user in (clerk, handler):
        html = page(client, user, p).content.decode()
        assert url in html
        assert client.get(url).status_code == 200
    text = rendered["html"]
    assert "交办信访事项办结报告" in text and "已责令企业支付拖欠工资" in text and "第二十二条" in text
    assert str(clerk.unit) in text and str(handler.unit) in text
    # It goes to the assigning office, not to the petitioner: never listed for, nor recorded as, delivery.
    response = page(client, clerk, p)
    assert "report" not in [slug for slug, _label, _d in response.context["deliverable"]]
    with pytest.raises(TransitionError):
        wf.record_delivery(p.pk, clerk, document="report", method="post", delivered_on=today())
    # A unit that may not see the case gets 404, as for every other document (the one rule).
    client.force_login(demo["jiyang_supervisor"])
    assert client.get(url).status_code == 404


# §19, §23 ¶1: a skip-level petition referred down ------------------------------------------------


def test_s19_referral_notice_to_the_petitioner_after_the_referral(demo, client, rendered):
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    p = new_petition(clerk, region=TOWNS["fengqiao"], is_skip_level=True)
    url = reverse("petitions:pdf", args=[p.pk, "referral"])
    client.force_login(clerk)
    assert client.get(url).status_code == 404
    wf.refer_down(p.pk, clerk, town.unit, notice="您反映的事项属枫桥镇人民政府职责，请向其了解办理情况。")
    assert url in page(client, clerk, p).content.decode()
    assert client.get(url).status_code == 200
    text = rendered["html"]
    assert "信访事项转送告知书" in text and str(town.unit) in text and "您反映的事项属枫桥镇" in text
    assert "第十九条" in text and str(clerk.unit) in text
    # A notice to the petitioner: its delivery is recorded like any other, not before the referral.
    with pytest.raises(TransitionError):
        wf.record_delivery(p.pk, clerk, document="referral", method="post", delivered_on=today() - DAY)
    wf.record_delivery(p.pk, clerk, document="referral", method="post", delivered_on=today())
    deliveries = {slug: d for slug, _label, d in page(client, clerk, p).context["deliverable"]}
    assert deliveries["referral"].delivered_on == today()
    # An ordinary 转送 makes no such notice.
    q = new_petition(clerk)
    wf.forward(q.pk, clerk, demo["zhuji_handler"].unit)
    assert client.get(reverse("petitions:pdf", args=[q.pk, "referral"])).status_code == 404


# §31(6), §35, §36 ¶2: hearings ------------------------------------------------------------------


def test_s35_hearing_during_review_is_recorded_and_its_days_count(demo, client):
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    p = under_review(demo, days_ago=10)
    plain = deadline(p, "petition_review")
    # Only the reviewing body (the county bureau) records it; the town whose opinion is reviewed does not.
    assert "start_hearing" in offered(p, clerk) and "start_hearing" not in offered(p, town)
    with pytest.raises(PermissionDenied):
        wf.start_hearing(p.pk, town, started_on=today() - 5 * DAY)
    with pytest.raises(TransitionError):  # not before the request
        wf.start_hearing(p.pk, clerk, started_on=today() - 11 * DAY)
    wf.start_hearing(p.pk, clerk, started_on=today() - 5 * DAY, note="公开听证")
    # §35 excludes nothing: the 30 days of 复查 run on through the hearing.
    running = deadline(p, "petition_review")
    assert running.state == DeadlineState.OPEN and running.due_date == plain.due_date
    assert p.timeline.get(action="start_hearing").after["clock"] == "runs"
    assert "end_hearing" in offered(p, clerk) and "start_hearing" not in offered(p, clerk)
    with pytest.raises(TransitionError):  # the opinion waits for the end of the hearing
        wf.decide_review(p.pk, clerk, outcome="upheld", opinion="维持")
    wf.end_hearing(p.pk, clerk, ended_on=today() - 3 * DAY)
    ended = deadline(p, "petition_review")
    assert ended.due_date == plain.due_date and ended.paused_days == 0
    assert p.hearings.get().paused_days == 0
    html = page(client, clerk, p).content.decode()
    assert formats.date_format(today() - 5 * DAY, "DATE_FORMAT") in html
    assert "听证时间计入第三十五条" in html  # the page says the hearing days count
    wf.decide_review(p.pk, clerk, outcome="upheld", opinion="维持")
    assert Petition.objects.get(pk=p.pk).status == "reviewed"


# §35, §36: a decision that revokes or varies the opinion -------------------------------------------


def test_s35_revoked_review_orders_the_original_unit_to_handle_again(demo, client):
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    p = under_review(demo)
    decided = today() - DAY
    wf.decide_review(
        p.pk, clerk, outcome="revoked", opinion="事实不清，撤销，责令重新办理。", decided_on=decided
    )
    p.refresh_from_db()
    # The petitioner's path is unchanged: reviewed, and the §36 window waits for delivery.
    assert p.status == "reviewed" and p.handling_unit == town.unit
    limit = deadline(p, "petition_review_followup")
    rule = wf.deadlines.rule_for("petition_review_followup")
    assert limit.state == DeadlineState.OPEN and limit.start_date == decided
    assert limit.due_date == wf.deadlines.compute_due(rule, decided)[0].date
    # The original unit is told at once what to do by when (one notice, not the generic one too).
    (notice,) = told(town, p, "review_followup")
    assert formats.date_format(limit.due_date, "DATE_FORMAT") in notice.title
    assert not told(town, p, "decide_review").exists()
    entry = p.timeline.get(action="decide_review")
    assert entry.after["outcome"] == "revoked" and entry.after["followup_unit"] == str(town.unit)
    assert entry.after["followup_due_on"] == limit.due_date.isoformat()
    assert "撤销" in entry.description and "原办理单位须" in entry.description  # the timeline says so
    # Only the original unit reports; the reviewing body does not.
    assert "report_followup" in offered(p, town) and "report_followup" not in offered(p, clerk)
    with pytest.raises(PermissionDenied):
        wf.report_followup(p.pk, clerk, "已重新办理")
    html = page(client, town, p).content.decode()
    assert f"/petitions/{p.pk}/report_followup/" in html and f"{town.unit}须重新办理" in html
    with pytest.raises(TransitionError):
        wf.report_followup(p.pk, town, "  ")
    wf.report_followup(p.pk, town, "已重新调查核实，出具新的处理意见：予以支持。")
    review = ReviewRequest.objects.get(petition=p, level="review")
    assert review.followup_on == today() and review.followup_text.startswith("已重新调查")
    met = deadline(p, "petition_review_followup")
    assert met.state == DeadlineState.MET and met.met_on_time
    assert told(clerk, p, "report_followup").exists()  # the reviewing body that ordered it
    assert "report_followup" not in offered(p, town)  # once
    # The 复核 window still runs from delivery of the review opinion (§36).
    wf.record_delivery(p.pk, clerk, document="review", method="post", delivered_on=today())
    assert deadline(p, "petition_rereview_request").start_date == today()


def test_s36_varied_rereview_binds_the_original_unit_after_finalisation(demo):
    clerk, centre, town = demo["zhuji_petition_clerk"], demo["zhuji_supervisor"], demo["fengqiao_handler"]
    p = under_review(demo)
    wf.decide_review(p.pk, clerk, outcome="upheld", opinion="维持")
    assert not Deadline.objects.filter(case_id=p.pk, rule__code="petition_review_followup").exists()
    assert told(town, p, "decide_review").exists()  # upheld: told, nothing ordered
    wf.record_delivery(p.pk, clerk, document="review", method="post", delivered_on=today())
    wf.request_rereview(p.pk, clerk, requested_on=today())
    wf.decide_rereview(p.pk, centre, outcome="varied", opinion="变更为：予以支持，补发工资。")
    p.refresh_from_db()
    assert p.status == "finalized"  # final for the petitioner (§36 ¶3) ...
    assert deadline(p, "petition_review_followup").state == DeadlineState.OPEN  # ... not for the unit
    (notice,) = told(town, p, "review_followup")
    assert "varied" in notice.title or "变更" in notice.title
    assert "report_followup" in offered(p, town)
    wf.report_followup(p.pk, town, "已按变更后的意见补发工资。")
    assert told(centre, p, "report_followup").exists()
    assert deadline(p, "petition_review_followup").state == DeadlineState.MET
