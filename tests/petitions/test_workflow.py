"""Every petition transition and refusal, deadlines per stage, counting, repeats, confidentiality."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.scoping import visible_cases
from cases.models import Deadline
from cases.people import find_people
from cases.transitions import TransitionConflict, TransitionError
from petitions import workflow as wf
from petitions.models import Petition, VisitBatch
from tests.petitions.helpers import new_petition, person

pytestmark = pytest.mark.django_db
D = datetime.date


def due(p, code):
    return Deadline.objects.filter(case_id=p.pk, rule__code=code).latest("pk").due_date


def test_received_before_national_day(demo):
    p = new_petition(demo["zhuji_petition_clerk"], received_on=D(2026, 9, 28))
    # §22: 15 days from 09-28 is 10-13 (an ordinary Tuesday after the holiday).
    assert due(p, "petition_route") == D(2026, 10, 13)
    assert p.number.startswith("诸暨〔2026〕访字第")


def test_objection_limit_ends_on_the_adjusted_saturday(demo, monkeypatch):
    p = new_petition(demo["zhuji_petition_clerk"], received_on=D(2026, 9, 27))
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2026, 9, 28))
    wf.forward(p.pk, demo["zhuji_petition_clerk"], demo["zhuji_handler"].unit)
    # §23: 5 working days from 09-28 → 09-29, 09-30, 10-08, 10-09, 10-10 (调休 Saturday).
    assert due(p, "petition_objection") == D(2026, 10, 10)
    assert due(p, "petition_notice") == D(2026, 10, 13)


def test_forwarding_gives_access_to_the_target_unit_and_nobody_else(demo):
    p = new_petition(demo["zhuji_petition_clerk"])
    labour, housing_handler = demo["zhuji_handler"], demo["xianjin_mediator"]
    assert not visible_cases(labour, Petition.objects.all()).exists()
    wf.forward(p.pk, demo["zhuji_petition_clerk"], labour.unit)
    assert visible_cases(labour, Petition.objects.all()).get().pk == p.pk
    assert not visible_cases(housing_handler, Petition.objects.all()).exists()
    assert not visible_cases(demo["fengqiao_petition_clerk"], Petition.objects.all()).exists()


def test_full_claim_path_with_review_chain_and_finalisation(demo):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    wf.forward(p.pk, clerk, handler.unit)
    wf.accept(p.pk, handler)
    assert (
        due(p, "petition_handle")
        == wf.deadlines.compute_due(wf.deadlines.rule_for("petition_handle"), timezone.localdate())[0].date
    )
    wf.reply(p.pk, handler, outcome="supported", text="责令公司支付工资。")
    today = timezone.localdate()
    # §35-36: each request window runs from the delivery of the opinion, and the body one level above
    # the one that issued it decides (here the county's petition bureau, then its governance centre).
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=today)
    wf.request_review(p.pk, clerk, requested_on=today)
    wf.decide_review(p.pk, clerk, outcome="upheld", opinion="维持")
    wf.record_delivery(p.pk, clerk, document="review", method="in_person", delivered_on=today)
    wf.request_rereview(p.pk, clerk, requested_on=today)
    wf.decide_rereview(p.pk, demo["zhuji_supervisor"], outcome="upheld", opinion="维持")
    p.refresh_from_db()
    assert p.status == "finalized" and p.closed_at is not None
    # Monthly statistics count acceptance and conclusion by these two dates (reporting.petition_stats).
    assert p.accepted_on == today and p.replied_on == today
    wf.evaluate(p.pk, clerk, value="basically", given_on=today, way="电话")
    assert p.evaluations.count() == 1
    # §36: the same matter after 复核 is refused, with the reason.
    with pytest.raises(TransitionError) as info:
        new_petition(clerk, repeat_of=p)
    assert "第三十六条" in str(info.value) or "§36" in str(info.value)


def test_extension_beyond_30_days_and_a_second_extension_are_refused(demo):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    wf.forward(p.pk, clerk, handler.unit)
    wf.accept(p.pk, handler)
    with pytest.raises(TransitionError):
        wf.extend(p.pk, handler, days=31, approver="王局长", reason="需调查取证")
    wf.extend(p.pk, handler, days=30, approver="王局长", reason="需调查取证")
    rule = wf.deadlines.rule_for("petition_handle")
    # 60 + 30 days counted from acceptance; the original end (not its rolled date) is extended.
    assert (
        due(p, "petition_handle")
        == wf.deadlines.compute_due(rule, timezone.localdate(), extra_days=30)[0].date
    )
    with pytest.raises(TransitionError):
        wf.extend(p.pk, handler, days=5, approver="王局长", reason="再延")


def test_review_request_one_day_after_the_window_is_refused_with_the_date(demo):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    wf.forward(p.pk, clerk, handler.unit)
    wf.accept(p.pk, handler)
    wf.reply(p.pk, handler, outcome="not_supported", text="不予支持", replied_on=D(2026, 11, 2))
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=D(2026, 11, 2))
    window_end = due(p, "petition_review_request")
    assert window_end == D(2026, 12, 2)
    with pytest.raises(TransitionError) as info:
        wf.request_review(p.pk, clerk, requested_on=window_end + datetime.timedelta(days=1))
    assert "2026年12月2日" in str(info.value)
    wf.request_review(p.pk, clerk, requested_on=window_end)
    assert Petition.objects.get(pk=p.pk).status == "review_requested"


def test_objection_within_5_working_days_sends_it_back_once_the_sender_agrees(demo):
    # 信访工作条例 §23 ¶3: it returns only once the sending office checked and agreed
    # (before, the objection alone sent it back).
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    wf.forward(p.pk, clerk, handler.unit)
    wf.object_to_routing(p.pk, handler, "属住建部门职责")
    p.refresh_from_db()
    assert p.status == "objected" and p.target_unit == handler.unit
    wf.agree_objection(p.pk, clerk)
    p.refresh_from_db()
    assert p.status == "registered" and p.target_unit is None
    assert not visible_cases(handler, Petition.objects.all()).exists()


def test_divert_and_not_accept(demo):
    clerk = demo["zhuji_petition_clerk"]
    p = new_petition(clerk)
    with pytest.raises(TransitionError):
        wf.divert(p.pk, clerk, route="opinion")
    wf.divert(p.pk, clerk, route="legal")
    assert Petition.objects.get(pk=p.pk).status == "diverted"
    q = new_petition(clerk)
    wf.not_accept(q.pk, clerk, reason="请向诸暨市人民法院提出")
    assert Petition.objects.get(pk=q.pk).status == "not_accepted"


def test_refusals_by_role_state_and_jurisdiction(demo):
    clerk = demo["zhuji_petition_clerk"]
    p = new_petition(clerk)
    with pytest.raises(Http404):
        wf.forward(p.pk, demo["fengqiao_petition_clerk"], demo["zhuji_handler"].unit)
    with pytest.raises(PermissionDenied):
        wf.forward(p.pk, demo["zhuji_statistician"], demo["zhuji_handler"].unit)
    with pytest.raises(TransitionConflict):
        wf.reply(p.pk, demo["zhuji_supervisor"], outcome="supported", text="x")
    with pytest.raises(PermissionDenied):
        new_petition(demo["zhuji_mediator"])


def test_collective_visit_counts_in_batches_and_persons(demo):
    clerk = demo["zhuji_petition_clerk"]
    reps = [person(name=f"代表{i}", phone=f"1370013700{i}") for i in range(3)]
    p = new_petition(clerk, channel="visit", head_count=6, representatives=reps, petitioners=reps)
    assert p.is_collective
    wf.add_visit(p.pk, clerk, visited_on=D(2026, 11, 10), head_count=4)
    batches = VisitBatch.objects.filter(petition=p)
    assert batches.count() == 2  # 批
    assert sum(b.head_count for b in batches) == 10  # 人次
    small = new_petition(clerk, channel="visit", head_count=4)
    assert not small.is_collective
    with pytest.raises(TransitionError):
        new_petition(
            clerk, channel="visit", head_count=7, representatives=[person(name=f"r{i}") for i in range(6)]
        )


def test_repeat_detection_by_id_number_and_by_name_and_phone(demo):
    clerk = demo["zhuji_petition_clerk"]
    typed = person(name="周海燕", id_number="11010519491231002X", phone="13600136000")
    first = new_petition(clerk, petitioners=[typed]).parties.get().person  # the register identity
    assert find_people(id_number="11010519491231002x") == [first]
    assert find_people(name="周海燕", phone="136 0013 6000") == [first]
    assert find_people(name="周海燕", phone="13500000000") == []


def test_accused_unit_sees_nothing_of_an_accusation(demo):
    clerk = demo["zhuji_petition_clerk"]
    government = demo["fengqiao_handler"].unit  # 枫桥镇人民政府, which covers 枫桥镇
    p = new_petition(
        clerk, kind="accusation", region="330681109000", complained_unit=government,
        category="discipline_supervision", summary="举报镇干部",
    )  # fmt: skip
    assert not visible_cases(demo["fengqiao_handler"], Petition.objects.all()).exists()
    with pytest.raises(TransitionError):
        wf.forward(p.pk, clerk, government)
    # The town's governance centre (not accused) still sees it.
    assert visible_cases(demo["fengqiao_supervisor"], Petition.objects.all()).exists()


def test_accused_unit_cannot_fetch_the_accusation_attachments(client, demo, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from cases.attachments import add_attachment
    from cases.models import Attachment

    settings.MEDIA_ROOT = str(tmp_path)
    government = demo["fengqiao_handler"].unit
    p = new_petition(
        demo["zhuji_petition_clerk"], kind="accusation", region="330681109000", complained_unit=government,
        category="discipline_supervision", summary="举报镇干部",
    )  # fmt: skip
    add_attachment(p, demo["zhuji_petition_clerk"], SimpleUploadedFile("证据.pdf", b"%PDF-1.4 evidence"))
    a = Attachment.objects.get()
    client.force_login(demo["fengqiao_handler"])
    for url in (reverse("petitions:detail", args=[p.pk]), reverse("attachments:download", args=[p.pk, a.pk])):
        assert client.get(url).status_code == 404
    assert "举报镇干部" not in client.get(reverse("petitions:list")).content.decode()


def test_deadline_of_every_stage(demo, monkeypatch):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    today = {"value": D(2026, 3, 2)}
    monkeypatch.setattr(timezone, "localdate", lambda *a: today["value"])
    p = new_petition(clerk, received_on=D(2026, 3, 1))
    assert due(p, "petition_route") == D(2026, 3, 16)  # §22: 15 days
    wf.forward(p.pk, clerk, handler.unit)
    assert due(p, "petition_notice") == D(2026, 3, 17)  # §23: 15 days from receipt by the unit
    assert due(p, "petition_objection") == D(2026, 3, 9)  # §23: 5 working days
    today["value"] = D(2026, 3, 3)
    wf.accept(p.pk, handler)
    assert due(p, "petition_handle") == D(2026, 5, 6)  # §34: 60 days = 05-02 (Labour Day) → 05-06
    today["value"] = D(2026, 4, 1)
    wf.reply(p.pk, handler, outcome="explained", text="解释说明", replied_on=D(2026, 4, 1))
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=D(2026, 4, 1))
    assert due(p, "petition_review_request") == D(2026, 5, 6)  # §35: 30 days = 05-01 (holiday) → 05-06
    wf.request_review(p.pk, clerk, requested_on=D(2026, 4, 20))
    assert due(p, "petition_review") == D(2026, 5, 20)  # §35: 30 days
    today["value"] = D(2026, 5, 10)
    wf.decide_review(p.pk, clerk, outcome="upheld", opinion="维持", decided_on=D(2026, 5, 10))
    wf.record_delivery(p.pk, clerk, document="review", method="post", delivered_on=D(2026, 5, 10))
    assert due(p, "petition_rereview_request") == D(2026, 6, 9)  # §36: 30 days
    wf.request_rereview(p.pk, clerk, requested_on=D(2026, 6, 1))
    assert due(p, "petition_rereview") == D(2026, 7, 1)  # §36: 30 days
