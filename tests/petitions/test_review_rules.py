"""The review path by the 信访工作条例 (2022): delivery (送达) starts the §35/§36 windows, the level
above reviews (§35, §36) and the handler never decides its own review, only a §31(6) opinion is
reviewable, an extension tells the petitioner why (§34), hearing days do not count (§36 ¶2),
documents exist only at their stage, and a reply tells the office that forwarded the petition."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape

from accounts.demo import TOWNS
from accounts.scoping import visible_cases
from cases.models import Deadline, DeadlineState
from cases.transitions import TransitionError
from petitions import workflow as wf
from petitions.models import Delivery, Petition, ReviewRequest
from supervision.models import Notification, NotificationKind
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def deadline(p, code):
    return Deadline.objects.filter(case_id=p.pk, rule__code=code).select_related("rule").latest("pk")


def has_deadline(p, code):
    return Deadline.objects.filter(case_id=p.pk, rule__code=code).exists()


def told(user, p, action):
    return Notification.objects.filter(user=user, case_id=p.pk, kind=NotificationKind.HANDOFF, action=action)


def town_claim(demo, *, replied_on=None, **extra):
    """A claim in 枫桥镇 forwarded by the county bureau to the town government, accepted on route (6)
    and replied to: the town government issued the opinion."""
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    p = new_petition(clerk, region=TOWNS["fengqiao"], **extra)
    wf.forward(p.pk, clerk, town.unit)
    wf.accept(p.pk, town)
    wf.reply(p.pk, town, outcome="not_supported", text="不予支持。", replied_on=replied_on)
    return p


def test_s35_review_window_starts_at_delivery(demo, client):
    clerk = demo["zhuji_petition_clerk"]
    p = town_claim(demo, replied_on=today() - 10 * DAY)
    # Replied, not delivered: no window runs, a request is refused and the matter cannot lapse.
    assert not has_deadline(p, "petition_review_request")
    with pytest.raises(TransitionError):
        wf.request_review(p.pk, clerk, requested_on=today())
    with pytest.raises(TransitionError):
        wf.finalize(p.pk, clerk)
    client.force_login(clerk)
    page = client.get(reverse("petitions:detail", args=[p.pk]))
    assert page.context["waiting_for_delivery"]
    assert escape(page.context["waiting_for_delivery"]) in page.content.decode()
    # Delivered by post 3 days ago: the 30 days run from that day, not from the reply.
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=today() - 3 * DAY)
    window = deadline(p, "petition_review_request")
    assert window.start_date == today() - 3 * DAY
    rule = wf.deadlines.rule_for("petition_review_request")
    assert window.due_date == wf.deadlines.compute_due(rule, today() - 3 * DAY)[0].date
    delivery = Delivery.objects.get(petition=p)
    assert (delivery.document, delivery.method, delivery.recorded_by) == ("opinion", "post", clerk)
    page = client.get(reverse("petitions:detail", args=[p.pk]))
    assert not page.context["waiting_for_delivery"]


def test_s36_rereview_window_starts_at_delivery_of_the_review_opinion(demo):
    clerk = demo["zhuji_petition_clerk"]
    p = town_claim(demo, replied_on=today() - 20 * DAY)
    wf.record_delivery(p.pk, clerk, document="opinion", method="in_person", delivered_on=today() - 20 * DAY)
    wf.request_review(p.pk, clerk, requested_on=today() - 15 * DAY)
    wf.decide_review(p.pk, clerk, outcome="upheld", opinion="维持", decided_on=today() - 5 * DAY)
    assert not has_deadline(p, "petition_rereview_request")
    with pytest.raises(TransitionError):
        wf.request_rereview(p.pk, clerk, requested_on=today())
    wf.record_delivery(p.pk, clerk, document="review", method="electronic", delivered_on=today() - DAY)
    assert deadline(p, "petition_rereview_request").start_date == today() - DAY


def test_s35_delivery_is_recorded_once_and_only_for_a_document_the_case_has(demo):
    clerk = demo["zhuji_petition_clerk"]
    p = town_claim(demo, replied_on=today() - 5 * DAY)
    with pytest.raises(TransitionError):  # no 复查意见 exists yet
        wf.record_delivery(p.pk, clerk, document="review", method="post", delivered_on=today())
    with pytest.raises(TransitionError):  # before the opinion was written
        wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=today() - 6 * DAY)
    wf.record_delivery(p.pk, clerk, document="acceptance", method="left_at_address", delivered_on=today())
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=today())
    with pytest.raises(TransitionError):  # the window runs from the first receipt
        wf.record_delivery(p.pk, clerk, document="opinion", method="in_person", delivered_on=today())
    assert set(Delivery.objects.filter(petition=p).values_list("document", flat=True)) == {
        "acceptance",
        "opinion",
    }


def test_s35_review_goes_to_the_level_above(demo):
    clerk, town, county_centre = (
        demo["zhuji_petition_clerk"],
        demo["fengqiao_handler"],
        demo["zhuji_supervisor"],
    )
    p = town_claim(demo)
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=today())
    wf.request_review(p.pk, demo["fengqiao_petition_clerk"], requested_on=today())  # registered in town
    # The town government issued the opinion: the county's petition bureau reviews it, is granted the
    # case and is told at once.
    review = ReviewRequest.objects.get(petition=p, level="review")
    assert review.reviewing_unit == clerk.unit
    assert told(clerk, p, "request_review").exists()
    assert p.timeline.get(action="request_review").after["reviewing_unit"] == str(clerk.unit)
    wf.decide_review(p.pk, clerk, outcome="upheld", opinion="维持")
    # §36: 复核 one level above the 复查 body. The portal holds no unit above the county, so the
    # county's governance centre stands in, and never the town government that handled it.
    wf.record_delivery(p.pk, clerk, document="review", method="post", delivered_on=today())
    wf.request_rereview(p.pk, clerk, requested_on=today())
    rereview = ReviewRequest.objects.get(petition=p, level="rereview")
    assert rereview.reviewing_unit == county_centre.unit != town.unit
    assert told(county_centre, p, "request_rereview").exists()
    assert visible_cases(county_centre, Petition.objects.filter(pk=p.pk)).exists()


def test_s35_handler_cannot_decide_its_own_review(demo):
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    p = town_claim(demo)
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=today())
    wf.request_review(p.pk, clerk, requested_on=today())
    p = Petition.objects.get(pk=p.pk)
    step = wf.TRANSITIONS["decide_review"]
    # Neither the unit whose opinion is reviewed nor another unit that sees the case decides it.
    for user in (town, demo["fengqiao_supervisor"], demo["zhuji_supervisor"]):
        assert not step.offered(p, user)
        with pytest.raises(PermissionDenied):
            wf.decide_review(p.pk, user, outcome="revoked", opinion="撤销")
    assert step.offered(p, clerk)
    wf.decide_review(p.pk, clerk, outcome="revoked", opinion="撤销，责令重新办理")
    assert Petition.objects.get(pk=p.pk).status == "reviewed"
    # The review opinion tells the unit whose opinion was reviewed: revoked, with its order to
    # handle the matter again (petitions.followup), in place of the plain notice.
    assert told(town, p, "review_followup").exists() and not told(town, p, "decide_review").exists()


def test_s35_only_a_s31_6_opinion_opens_review(demo):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    suggestion = new_petition(clerk, kind="suggestion", summary="建议增设公交线路")  # §29
    acted = new_petition(clerk)  # a claim answered by acting on illegal conduct, §31(5)
    for p, route in ((suggestion, "opinion"), (acted, "act")):
        wf.forward(p.pk, clerk, handler.unit)
        wf.accept(p.pk, handler, route=route)
        wf.reply(p.pk, handler, outcome="explained", text="答复如下。")
        wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=today())
        assert not has_deadline(p, "petition_review_request")
        with pytest.raises(TransitionError) as info:
            wf.request_review(p.pk, clerk, requested_on=today())
        assert "§31(6)" in str(info.value) or "第三十一条第（六）项" in str(info.value)
        wf.finalize(p.pk, clerk)  # no review window to wait for
        assert Petition.objects.get(pk=p.pk).status == "finalized"
    claim = town_claim(demo)
    wf.record_delivery(claim.pk, clerk, document="opinion", method="post", delivered_on=today())
    assert has_deadline(claim, "petition_review_request")


def test_s34_extension_makes_a_notice_with_the_reason(demo, client, monkeypatch):
    from django.template.loader import render_to_string

    from petitions import letters as documents  # the letters the PDF view renders

    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    wf.forward(p.pk, clerk, handler.unit)
    wf.accept(p.pk, handler)
    client.force_login(handler)
    url = reverse("petitions:pdf", args=[p.pk, "extension"])
    assert client.get(url).status_code == 404  # no extension, no notice
    assert "extension" in wf.TRANSITIONS["extend"].documents
    wf.extend(p.pk, handler, days=20, approver="王局长", reason="需赴外地调查取证")
    rendered = {}

    def capture(template, context):
        rendered["html"] = render_to_string(template, context)
        return b"%PDF-1.7 stand-in"

    monkeypatch.setattr(documents, "render_pdf", capture)
    assert client.get(url).status_code == 200
    html = rendered["html"]
    assert "延期办理告知书" in html and "需赴外地调查取证" in html and "第三十四条" in html
    assert "延长20日" in html
    due = deadline(p, "petition_handle").due_date
    assert f"{due.year}年{due.month}月{due.day}日" in html
    assert url in client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
    # It can be delivered like every other written notice.
    wf.record_delivery(p.pk, handler, document="extension", method="post", delivered_on=today())


def test_s36_hearing_days_do_not_count(demo, client):
    clerk, centre = demo["zhuji_petition_clerk"], demo["zhuji_supervisor"]
    p = town_claim(demo, replied_on=today() - 40 * DAY)
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=today() - 40 * DAY)
    wf.request_review(p.pk, clerk, requested_on=today() - 39 * DAY)
    wf.decide_review(p.pk, clerk, outcome="upheld", opinion="维持", decided_on=today() - 30 * DAY)
    wf.record_delivery(p.pk, clerk, document="review", method="post", delivered_on=today() - 30 * DAY)
    requested = today() - 20 * DAY
    wf.request_rereview(p.pk, clerk, requested_on=requested)
    rule = wf.deadlines.rule_for("petition_rereview")
    plain_due = deadline(p, "petition_rereview").due_date
    assert plain_due == wf.deadlines.compute_due(rule, requested)[0].date
    # Only the reviewing body records a hearing.
    with pytest.raises(PermissionDenied):
        wf.start_hearing(p.pk, clerk, started_on=today() - 10 * DAY)
    wf.start_hearing(p.pk, centre, started_on=today() - 10 * DAY, note="公开听证")
    paused = deadline(p, "petition_rereview")
    assert paused.state == DeadlineState.PAUSED and paused.paused_on == today() - 10 * DAY
    # A paused period is nobody's next due date, and the case page shows the pause.
    assert Petition.objects.get(pk=p.pk).next_due_at is None or (
        Petition.objects.get(pk=p.pk).next_due_at != paused.due_at
    )
    client.force_login(centre)
    html = client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
    assert formats.date_format(today() - 10 * DAY, "DATE_FORMAT") in html
    with pytest.raises(TransitionError):  # the opinion waits for the end of the hearing
        wf.decide_rereview(p.pk, centre, outcome="upheld", opinion="维持")
    wf.end_hearing(p.pk, centre, ended_on=today() - 8 * DAY)
    resumed = deadline(p, "petition_rereview")
    # Three hearing days (first and last included) are not counted: the end moves by three days.
    assert resumed.state == DeadlineState.OPEN and resumed.paused_days == 3
    assert resumed.due_date == wf.deadlines.compute_due(rule, requested, paused_days=3)[0].date
    assert resumed.due_date > plain_due
    assert p.hearings.get().paused_days == 3
    wf.decide_rereview(p.pk, centre, outcome="upheld", opinion="维持")
    assert Petition.objects.get(pk=p.pk).status == "finalized"


def test_s32_documents_exist_only_from_their_stage(demo, client):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    client.force_login(clerk)

    def answers(document):
        return client.get(reverse("petitions:pdf", args=[p.pk, document])).status_code

    def linked(document):
        page = client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
        return reverse("petitions:pdf", args=[p.pk, document]) in page

    # Registered: no notice of acceptance yet, no opinion, no refusal.
    for document in ("acceptance", "not_accepted", "extension", "opinion", "review", "rereview"):
        assert answers(document) == 404 and not linked(document)
    wf.forward(p.pk, clerk, handler.unit)
    wf.accept(p.pk, handler)
    assert answers("acceptance") == 200 and linked("acceptance")
    assert answers("opinion") == 404 and not linked("opinion")
    wf.reply(p.pk, handler, outcome="supported", text="责令支付。")
    assert answers("opinion") == 200 and linked("opinion")
    assert answers("review") == 404 and answers("not_accepted") == 404
    q = new_petition(clerk)
    wf.not_accept(q.pk, clerk, reason="请向诸暨市人民法院提出")
    assert client.get(reverse("petitions:pdf", args=[q.pk, "not_accepted"])).status_code == 200
    assert client.get(reverse("petitions:pdf", args=[q.pk, "acceptance"])).status_code == 404


def test_s22_reply_notifies_the_office_that_forwarded_it(demo):
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    p = town_claim(demo)
    assert told(clerk, p, "reply").exists()
    assert not told(town, p, "reply").exists()  # not the unit that replied
    # A petition the handling unit registered itself has nobody to tell.
    q = new_petition(clerk)
    wf.accept(q.pk, clerk)
    wf.reply(q.pk, demo["zhuji_supervisor"], outcome="explained", text="解释说明。")
    assert not Notification.objects.filter(case_id=q.pk, action="reply").exists()


def test_s35_delivery_through_the_action_page(demo, client):
    clerk = demo["zhuji_petition_clerk"]
    p = town_claim(demo)
    client.force_login(clerk)
    url = reverse("petitions:action", args=[p.pk, "record_delivery"])
    form = client.get(url).context["form"]
    # Only the documents the case has, not yet delivered.
    assert [slug for slug, _ in form.fields["document"].choices] == ["acceptance", "opinion"]
    response = client.post(
        url,
        {"document": "opinion", "method": "post", "delivered_on": today().isoformat(), "recipient": "本人"},
    )
    assert response.status_code == 302
    assert deadline(p, "petition_review_request").start_date == today()
    page = client.get(reverse("petitions:detail", args=[p.pk]))
    delivered = {slug: d for slug, _, d in page.context["deliverable"]}
    assert delivered["opinion"].method == "post" and delivered["opinion"].recipient == "本人"
    assert delivered["acceptance"] is None
