"""The redone handling opinion (信访工作条例 §35, §36; petitions.redo): after a review revoked the
original unit's opinion, that unit issues a new one, a written document delivered to the petitioner,
and its delivery opens a new §35 复查 window. A decision that still can change (a 复查 whose §36
window runs), and one that varies instead of revoking, make no redone opinion."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.demo import TOWNS
from cases.models import Deadline, DeadlineState
from cases.transitions import TransitionError
from petitions import letters as documents  # the letters the PDF view renders
from petitions import workflow as wf
from petitions.models import Petition, ReviewRequest
from supervision.models import Notification, NotificationKind
from tests.petitions.helpers import finalised_by_rereview, new_petition

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def ago(days):
    return today() - days * DAY


def deadline(p, code):
    return Deadline.objects.filter(case_id=p.pk, rule__code=code).latest("pk")


def offered(p, user):
    return {s.name for s in wf.TRANSITIONS.offered(Petition.objects.get(pk=p.pk), user)}


def page(client, user, p):
    client.force_login(user)
    return client.get(reverse("petitions:detail", args=[p.pk]))


@pytest.fixture
def rendered(monkeypatch):
    """The HTML the PDF view renders (WeasyPrint itself is exercised by the step walk)."""
    found = {}

    def capture(template, context):
        found["html"] = render_to_string(template, context)
        return b"%PDF-1.7 stand-in"

    monkeypatch.setattr(documents, "render_pdf", capture)
    return found


def revoked_on_review(demo, *, review_delivered_days_ago=None):
    """A claim of 枫桥镇: the town government replied 60 days ago; the county bureau revoked its
    opinion on 复查 50 days ago (the review opinion delivered ``review_delivered_days_ago``)."""
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    p = new_petition(clerk, region=TOWNS["fengqiao"], received_on=ago(90))
    wf.forward(p.pk, clerk, town.unit)
    wf.accept(p.pk, town)
    wf.reply(p.pk, town, outcome="not_supported", text="不予支持。", replied_on=ago(60))
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=ago(59))
    wf.request_review(p.pk, clerk, requested_on=ago(58))
    wf.decide_review(
        p.pk, clerk, outcome="revoked", opinion="事实不清，撤销，责令重新办理。", decided_on=ago(50)
    )
    if review_delivered_days_ago is not None:
        wf.record_delivery(
            p.pk, clerk, document="review", method="post", delivered_on=ago(review_delivered_days_ago)
        )
    return p


def test_s35_redone_opinion_opens_a_new_review_window_from_delivery(demo, client, rendered):
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    # The §36 window for 复核 of the 复查 opinion ran out unused: the revocation stands.
    p = revoked_on_review(demo, review_delivered_days_ago=49)
    lapsed = deadline(p, "petition_rereview_request")
    assert lapsed.state == DeadlineState.OPEN and lapsed.due_date < today()
    # Only the original unit issues it; not the reviewing body.
    assert "redo_opinion" in offered(p, town) and "redo_opinion" not in offered(p, clerk)
    with pytest.raises(PermissionDenied):
        wf.redo_opinion(p.pk, clerk, outcome="supported", text="予以支持。")
    with pytest.raises(TransitionError):
        wf.redo_opinion(p.pk, town, outcome="supported", text="  ")
    with pytest.raises(TransitionError):  # not older than the decision that revoked the first
        wf.redo_opinion(p.pk, town, outcome="supported", text="予以支持。", issued_on=ago(51))
    url = reverse("petitions:pdf", args=[p.pk, "redone"])
    client.force_login(town)
    assert client.get(url).status_code == 404  # no document before the step
    wf.redo_opinion(p.pk, town, outcome="supported", text="经重新调查核实，责令企业补发工资。")
    p.refresh_from_db()
    # The petitioner holds a new handling opinion: the path starts again at replied.
    assert p.status == "replied" and p.closed_at is None and p.handling_unit == town.unit
    review = ReviewRequest.objects.get(petition=p, level="review")
    assert (review.redone_on, review.redone_outcome) == (today(), "supported")
    assert deadline(p, "petition_rereview_request").state == DeadlineState.CANCELLED  # the lapsed §36 one
    entry = p.timeline.get(action="redo_opinion")
    assert entry.after["status"] == "replied" and entry.after["outcome"] == "supported"
    # The reviewing body that revoked is told in the same step (a hand-off), the town is not.
    assert Notification.objects.filter(
        user=clerk, case_id=p.pk, kind=NotificationKind.HANDOFF, action="redo_opinion"
    ).exists()
    assert not Notification.objects.filter(user=town, case_id=p.pk, action="redo_opinion").exists()
    # Before delivery the window has not started, the page says so, and neither a request nor
    # finalisation is possible.
    response = page(client, town, p)
    html = response.content.decode()
    assert url in html and "重新作出的处理意见" in response.context["waiting_for_delivery"]
    assert "经重新调查核实" in html
    assert not Deadline.objects.filter(
        case_id=p.pk, rule__code="petition_review_request", state=DeadlineState.OPEN
    ).exists()
    with pytest.raises(TransitionError, match="送达"):
        wf.request_review(p.pk, clerk, requested_on=today())
    with pytest.raises(TransitionError):
        wf.finalize(p.pk, clerk)
    # The PDF: the new opinion, and the petitioner's §35 right from its receipt.
    assert client.get(url).status_code == 200
    text = rendered["html"]
    assert "信访事项处理意见书（重新办理）" in text and "责令企业补发工资" in text
    assert "撤销本机关原处理意见" in text and "第三十五条" in text and "收到本意见书之日起三十日内" in text
    # Delivered (送达: method, date, recipient) two days ago: the §35 window runs from then.
    with pytest.raises(TransitionError):  # not before the new opinion is dated
        wf.record_delivery(p.pk, town, document="redone", method="in_person", delivered_on=ago(1))
    wf.record_delivery(
        p.pk, town, document="redone", method="in_person", delivered_on=today(), recipient="本人"
    )
    window = deadline(p, "petition_review_request")
    assert window.state == DeadlineState.OPEN and window.start_date == today()
    response = page(client, town, p)
    assert response.context["waiting_for_delivery"] == ""
    delivered = {slug: d for slug, _label, d in response.context["deliverable"]}
    assert delivered["redone"].recipient == "本人" and delivered["redone"].method == "in_person"
    # A new 复查, again to the body one level above the town, which is granted and told.
    wf.request_review(p.pk, clerk, requested_on=today())
    p.refresh_from_db()
    assert p.status == "review_requested"
    second = p.reviews.filter(level="review").latest("pk")
    assert second.pk != review.pk and second.reviewing_unit == review.reviewing_unit
    # The follow-up report to the reviewing body is still owed, and still the town's to file.
    assert "report_followup" in offered(p, town)
    # The second 复查 opinion is a document of its own: delivered once, its §36 window runs from then.
    wf.decide_review(p.pk, clerk, outcome="upheld", opinion="重新作出的处理意见并无不当，予以维持。")
    listed = {slug: d for slug, _label, d in page(client, clerk, p).context["deliverable"]}
    assert listed["review"] is None  # the new one is not delivered yet (the first one was)
    wf.record_delivery(p.pk, clerk, document="review", method="post", delivered_on=today())
    with pytest.raises(TransitionError):
        wf.record_delivery(p.pk, clerk, document="review", method="post", delivered_on=today())
    window = deadline(p, "petition_rereview_request")
    assert window.state == DeadlineState.OPEN and window.start_date == today()
    client.force_login(clerk)
    assert client.get(reverse("petitions:pdf", args=[p.pk, "review"])).status_code == 200
    assert "并无不当" in rendered["html"]  # the latest review opinion, not the one that revoked


def test_s36_redone_opinion_waits_while_a_rereview_can_still_change_the_revocation(demo):
    town = demo["fengqiao_handler"]
    p = revoked_on_review(demo)  # the 复查 opinion not delivered yet: its §36 window has not started
    assert "redo_opinion" not in offered(p, town) and "report_followup" in offered(p, town)
    with pytest.raises(PermissionDenied):
        wf.redo_opinion(p.pk, town, outcome="supported", text="予以支持。")
    wf.record_delivery(
        p.pk, demo["zhuji_petition_clerk"], document="review", method="post", delivered_on=ago(5)
    )
    assert "redo_opinion" not in offered(p, town)  # the petitioner may ask for 复核 for 25 more days


def test_s36_redone_opinion_after_a_revoking_rereview_reopens_the_finalised_matter(demo):
    town, clerk = demo["fengqiao_handler"], demo["zhuji_petition_clerk"]
    p = finalised_by_rereview(demo, "revoked")
    p.refresh_from_db()
    assert p.status == "finalized" and p.closed_at is not None
    assert {"redo_opinion", "report_followup"} <= offered(p, town)
    wf.redo_opinion(p.pk, town, outcome="explained", text="重新核查后作出解释说明。")
    p.refresh_from_db()
    assert p.status == "replied" and p.closed_at is None
    assert ReviewRequest.objects.get(petition=p, level="rereview").redone_on == today()
    wf.record_delivery(p.pk, clerk, document="redone", method="post", delivered_on=today())
    assert deadline(p, "petition_review_request").start_date == today()
    # The report is still owed (the limit counted from the 复核 decision) and closes it.
    wf.report_followup(p.pk, town, "已重新办理并送达新的处理意见。")
    assert deadline(p, "petition_review_followup").state == DeadlineState.MET
    assert "redo_opinion" not in offered(p, town)  # once


def test_s36_a_varied_opinion_makes_no_redone_opinion(demo):
    town = demo["fengqiao_handler"]
    p = finalised_by_rereview(demo, "varied")
    # The varied opinion is the reviewing body's own: the town carries it out and reports.
    assert "redo_opinion" not in offered(p, town) and "report_followup" in offered(p, town)
    with pytest.raises(PermissionDenied):
        wf.redo_opinion(p.pk, town, outcome="supported", text="予以支持。")
