"""多元化解 (mediation.routes): a dispute routed to another channel and back, joint mediation, and
judicial confirmation with the court's number and ruling."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit
from accounts.scoping import visible_cases
from cases.models import DeadlineState
from cases.transitions import TransitionError
from mediation import workflow
from mediation.models import Dispute, DisputeRoute, DisputeStatus, MediationSession, RouteChannel
from supervision.models import Notification
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db
S = DisputeStatus


def labour_committee():
    return Unit.objects.get(name="诸暨市劳动争议人民调解委员会")


def mediating(demo, **extra):
    mediator = demo["xianjin_mediator"]
    dispute = new_dispute(mediator, summary="拖欠工资纠纷", **extra)
    workflow.accept(dispute.pk, mediator)
    workflow.start_mediation(dispute.pk, mediator)
    return dispute


def sees(user, dispute) -> bool:
    return visible_cases(user, Dispute.objects.filter(pk=dispute.pk)).exists()


def routed_to_labour(demo):
    dispute = mediating(demo)
    workflow.TRANSITIONS["route"].execute(
        dispute.pk, demo["xianjin_mediator"],
        {"channel": RouteChannel.COMMITTEE, "unit": labour_committee(), "field": "labour",
         "reason": "劳动报酬争议，属劳动争议调委会专业调解", "body_name": "", "court_case_number": ""},
    )  # fmt: skip
    return Dispute.objects.get(pk=dispute.pk)


def test_the_labour_committee_sees_the_routed_case_and_a_unit_not_named_does_not(demo):
    dispute = mediating(demo)
    assert not sees(demo["laodong_mediator"], dispute)  # before: a committee not covering its region
    dispute = routed_to_labour(demo)
    assert dispute.status == S.ROUTED and dispute.route_unit == labour_committee()
    assert sees(demo["laodong_mediator"], dispute)
    for outsider in ("yangchun_mediator", "jiyang_supervisor", "zhuji_handler"):
        assert not sees(demo[outsider], dispute), outsider
    # The committee is told at once, with a link to the case (its inbox: unread hand-offs).
    note = Notification.objects.get(user=demo["laodong_mediator"], case=dispute)
    assert note.link == reverse("disputes:detail", args=[dispute.pk]) and note.action == "route"
    home = _client(demo["laodong_mediator"]).get(reverse("home")).content.decode()
    assert reverse("disputes:detail", args=[dispute.pk]) in home
    # Its limit: 15 days (劳动争议调解仲裁法 §14); the committee's own mediation period ends.
    route_limit = dispute.deadlines.get(rule__code="dispute_route_labour")
    assert route_limit.state == DeadlineState.OPEN
    assert route_limit.due_at.date() >= timezone.localdate() + datetime.timedelta(days=15)
    assert dispute.deadlines.get(rule__code="mediation_period").state == DeadlineState.CANCELLED
    entry = dispute.timeline.filter(action="route").get()
    assert entry.after["to"] == "诸暨市劳动争议人民调解委员会" and entry.after["channel"] == "committee"


def test_the_receiving_committee_records_the_result_and_the_case_returns(demo):
    dispute = routed_to_labour(demo)
    result = workflow.TRANSITIONS["route_result"]
    # The sending committee may not record the result of a unit that has an account.
    assert not result.offered(dispute, demo["xianjin_mediator"])
    with pytest.raises(PermissionDenied):
        result.execute(dispute.pk, demo["xianjin_mediator"], _result())
    assert result.offered(dispute, demo["laodong_mediator"])
    result.execute(dispute.pk, demo["laodong_mediator"], _result())
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.status == S.ROUTE_RETURNED
    assert (dispute.route_outcome, dispute.route_days) == ("success", 0)
    route = DisputeRoute.objects.get(dispute=dispute)
    assert route.result_by == demo["laodong_mediator"] and route.result_on == timezone.localdate()
    assert not dispute.deadlines.filter(rule__code="dispute_route_labour", state=DeadlineState.OPEN).exists()
    assert dispute.deadlines.filter(rule__code="follow_up", state=DeadlineState.OPEN).exists()
    # The village committee that handles it is told the result came back.
    assert Notification.objects.filter(
        user=demo["xianjin_mediator"], case=dispute, action="route_result"
    ).exists()
    # The committee keeps seeing the case but no longer acts on it: what follows is the village's.
    assert sees(demo["laodong_mediator"], dispute)
    offered = {s.name for s in workflow.TRANSITIONS.offered(dispute, demo["laodong_mediator"])}
    assert not offered & {"start_mediation", "follow_up", "route", "route_result"}
    # Back home: the village follows it up and archives it.
    assert {s.name for s in workflow.TRANSITIONS.offered(dispute, demo["xianjin_mediator"])} >= {
        "follow_up", "start_mediation", "route",
    }  # fmt: skip
    workflow.record_follow_up(
        dispute.pk,
        demo["xianjin_mediator"],
        date=timezone.localdate(),
        method="phone",
        satisfaction="satisfied",
    )
    workflow.archive(dispute.pk, demo["xianjin_mediator"])
    assert Dispute.objects.get(pk=dispute.pk).status == S.ARCHIVED


def test_a_court_route_needs_its_case_number_and_the_sender_records_the_result(demo):
    dispute = mediating(demo)
    route = workflow.TRANSITIONS["route"]
    data = {"channel": RouteChannel.COURT, "unit": None, "field": "", "body_name": "诸暨市人民法院",
            "court_case_number": "", "reason": "当事人同意诉前委派调解"}  # fmt: skip
    with pytest.raises(TransitionError, match="案号|case number"):
        route.execute(dispute.pk, demo["xianjin_mediator"], data)
    route.execute(
        dispute.pk, demo["xianjin_mediator"], {**data, "court_case_number": "（2026）浙0681民诉前调1号"}
    )
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.route_unit is None and dispute.route_channel == "court"
    assert dispute.deadlines.get(rule__code="dispute_route").state == DeadlineState.OPEN
    # No unit of the portal receives it: those who answer for the case record the court's result.
    result = workflow.TRANSITIONS["route_result"]
    assert result.offered(dispute, demo["xianjin_mediator"])
    assert not result.offered(dispute, demo["yangchun_mediator"])
    result.execute(dispute.pk, demo["xianjin_mediator"], {**_result("failed"), "court_case_number": ""})
    route_row = DisputeRoute.objects.get(dispute=dispute)
    assert route_row.court_case_number == "（2026）浙0681民诉前调1号" and route_row.outcome == "failed"


def test_a_route_is_refused_without_reason_unit_or_to_a_withheld_unit(demo):
    dispute = mediating(demo)
    route = workflow.TRANSITIONS["route"]
    base = {"channel": RouteChannel.COMMITTEE, "unit": labour_committee(), "field": "labour",
            "body_name": "", "court_case_number": "", "reason": "原因"}  # fmt: skip
    department = Unit.objects.get(name="诸暨市人力资源和社会保障局")
    wrong_kind = [
        {"unit": department},
        {"channel": RouteChannel.ADMINISTRATIVE},
    ]  # a department is no committee …
    for change in ({"reason": "  "}, {"unit": None}, {"unit": demo["xianjin_mediator"].unit}, *wrong_kind):
        with pytest.raises(TransitionError):
            route.execute(dispute.pk, demo["xianjin_mediator"], {**base, **change})
    Dispute.objects.filter(pk=dispute.pk).update(withheld_from_unit=labour_committee())
    with pytest.raises(TransitionError):
        route.execute(dispute.pk, demo["xianjin_mediator"], base)
    assert Dispute.objects.get(pk=dispute.pk).status == S.MEDIATING


def test_a_joint_mediation_lets_every_named_unit_see_the_case_and_record_sessions(demo):
    dispute = mediating(demo)
    yangchun = demo["yangchun_mediator"].unit
    assert not sees(demo["yangchun_mediator"], dispute) and not sees(demo["laodong_mediator"], dispute)
    joint = workflow.TRANSITIONS["joint_mediation"]
    joint.execute(dispute.pk, demo["xianjin_mediator"], {
        "units": [yangchun, labour_committee()], "mediators": [demo["laodong_mediator"]],
        "reason": "涉及两村村民和劳动关系", "participants": [("王律师", "lawyer", "诸暨某律师事务所"), ("赵专家", "expert", "")],
    })  # fmt: skip
    for name in ("yangchun_mediator", "laodong_mediator"):
        assert sees(demo[name], dispute), name
        assert Notification.objects.filter(user=demo[name], case=dispute, action="joint_mediation").exists()
        workflow.record_session(
            dispute.pk, demo[name], held_at=timezone.now(), place="枫桥镇调解室", attendees="双方",
            record=f"{name}主持", outcome="continue", invited=[("王律师", "lawyer")],
        )  # fmt: skip
    assert not sees(demo["jiangdong_mediator"], dispute)
    assert MediationSession.objects.filter(dispute=dispute).count() == 2
    entry = dispute.timeline.get(action="joint_mediation")
    assert "阳春村人民调解委员会" in entry.after["units"] and "王律师" in entry.after["participants"]


def test_judicial_confirmation_carries_the_court_its_number_and_ruling(demo):
    dispute = mediating(demo)
    mediator = demo["xianjin_mediator"]
    workflow.record_session(dispute.pk, mediator, held_at=timezone.now(), place="调解室", attendees="双方",
                            record="笔录", outcome="agreed")  # fmt: skip
    workflow.record_agreement(
        dispute.pk, mediator, form="written", terms="支付工资", effective_date=timezone.localdate()
    )
    step = workflow.TRANSITIONS["confirmation"]
    today = timezone.localdate()
    step.execute(dispute.pk, mediator, {"step": "apply", "date": today, "court": "诸暨市人民法院",
                                        "case_number": "（2026）浙0681民特5号", "result": ""})  # fmt: skip
    step.execute(dispute.pk, mediator, {"step": "confirmed", "date": today, "court": "", "case_number": "",
                                        "result": "调解协议有效，当事人应当履行"})  # fmt: skip
    agreement = Dispute.objects.get(pk=dispute.pk).agreement
    assert agreement.confirmation_case_number == "（2026）浙0681民特5号"
    assert agreement.confirmation_result == "调解协议有效，当事人应当履行"
    assert agreement.confirmation_state == "confirmed" and agreement.confirmation_court == "诸暨市人民法院"
    page = _client(mediator).get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    assert "（2026）浙0681民特5号" in page and "调解协议有效" in page


def test_the_case_page_shows_the_route_and_its_result(demo):
    dispute = routed_to_labour(demo)
    workflow.TRANSITIONS["route_result"].execute(dispute.pk, demo["laodong_mediator"], _result())
    page = _client(demo["laodong_mediator"]).get(reverse("disputes:detail", args=[dispute.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "诸暨市劳动争议人民调解委员会" in html and "已达成协议，工资已付" in html


def _result(outcome="success"):
    return {"outcome": outcome, "result": "已达成协议，工资已付", "result_on": timezone.localdate(),
            "court_case_number": ""}  # fmt: skip


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
