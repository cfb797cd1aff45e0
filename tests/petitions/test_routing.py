"""Routing rules of the 信访工作条例: 交办 and its report (§22), direct receipt and the objection
(§23), skip-level referral (§19), several petitioners (§20), and the guards that show each viewer
only the steps they may take now."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Region, User
from accounts.scoping import visible_cases
from cases.models import Deadline, PartyRole
from cases.transitions import TransitionError
from petitions import workflow as wf
from petitions.models import Petition
from reporting import petition_stats
from reporting.periods import Period
from supervision.models import Notification
from tests.petitions.helpers import new_petition
from tests.petitions.test_pages import intake, post

pytestmark = pytest.mark.django_db
D = datetime.date
FENGQIAO = "330681109000"


def limits(p, code):
    return list(Deadline.objects.filter(case_id=p.pk, rule__code=code).order_by("pk"))


def told(user, action):
    return Notification.objects.filter(user=user, kind="handoff", action=action).exists()


def offered(p, user):
    return {s.name for s in wf.TRANSITIONS.offered(Petition.objects.get(pk=p.pk), user)}


def test_s22_assign_sets_a_reporting_deadline(demo):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    report_by = timezone.localdate() + datetime.timedelta(days=20)
    with pytest.raises(TransitionError):
        wf.assign(p.pk, clerk, handler.unit, report_due_on=timezone.localdate())
    wf.assign(p.pk, clerk, handler.unit, report_due_on=report_by)
    (deadline,) = limits(p, "petition_assigned_report")
    # An open Deadline: the scan reminds and escalates on it like any other.
    assert deadline.state == "open" and deadline.due_date == report_by
    assert told(handler, "assign")
    wf.accept(p.pk, handler)
    assert "report_result" in offered(p, handler) and "report_result" not in offered(p, clerk)
    with pytest.raises(PermissionDenied):  # only the receiving unit files the report
        wf.report_result(p.pk, clerk, "已办结")
    wf.report_result(p.pk, handler, "已责令企业支付工资，信访人表示满意。")
    p.refresh_from_db()
    assert p.reported_on == timezone.localdate() and p.report_text.startswith("已责令")
    deadline.refresh_from_db()
    assert deadline.state == "met" and deadline.met_on_time
    assert told(clerk, "report_result")  # the assigning office is told
    assert "report_result" not in offered(p, handler)  # once only
    # 转送 stays without a report.
    q = new_petition(clerk)
    wf.forward(q.pk, clerk, handler.unit)
    assert not limits(q, "petition_assigned_report") and "report_result" not in offered(q, handler)


def test_s23_objection_needs_sender_consent(demo):
    clerk, handler, supervisor = demo["zhuji_petition_clerk"], demo["zhuji_handler"], demo["zhuji_supervisor"]
    p = new_petition(clerk)
    wf.forward(p.pk, clerk, handler.unit)
    with pytest.raises(PermissionDenied):  # only the receiving unit objects
        wf.object_to_routing(p.pk, clerk, "不属本机关职责")
    wf.object_to_routing(p.pk, handler, "属住建部门职责")
    p.refresh_from_db()
    assert p.status == "objected" and p.handling_unit == handler.unit and p.objection_reason
    assert told(clerk, "object")  # the sending office must check it
    assert limits(p, "petition_objection")[-1].state == "met"
    # Only the sending office agrees or disagrees: not the objecting unit, not another unit's supervisor.
    for user in (handler, supervisor):
        assert not {"agree_objection", "disagree_objection"} & offered(p, user)
        with pytest.raises(PermissionDenied):
            wf.agree_objection(p.pk, user)
    assert {"agree_objection", "disagree_objection"} <= offered(p, clerk)
    # Disagree: the receiving unit keeps it, told why, and cannot object a second time.
    wf.disagree_objection(p.pk, clerk, "经核实属人社部门职责")
    p.refresh_from_db()
    assert p.status == "forwarded" and p.target_unit == handler.unit
    assert told(handler, "disagree_objection")
    assert visible_cases(handler, Petition.objects.filter(pk=p.pk)).exists()
    with pytest.raises(TransitionError):
        wf.object_to_routing(p.pk, handler, "仍不属本机关职责")
    actions = list(p.timeline.values_list("action", flat=True))
    assert actions[-2:] == ["object", "disagree_objection"]
    assert p.timeline.get(action="disagree_objection").after["reason"] == "经核实属人社部门职责"

    # Agree: the matter and its grant return to the sender, which routes it again (§22).
    q = new_petition(clerk)
    wf.assign(q.pk, clerk, handler.unit, report_due_on=timezone.localdate() + datetime.timedelta(days=30))
    wf.object_to_routing(q.pk, handler, "属住建部门职责")
    wf.agree_objection(q.pk, clerk, "核实属实")
    q.refresh_from_db()
    assert q.status == "registered" and q.target_unit is None and q.handling_unit == clerk.unit
    assert told(handler, "agree_objection")  # told before its access ended
    assert not visible_cases(handler, Petition.objects.filter(pk=q.pk)).exists()
    assert limits(q, "petition_notice")[-1].state == "cancelled"
    assert limits(q, "petition_assigned_report")[-1].state == "cancelled"
    assert limits(q, "petition_route")[-1].state == "open"
    assert {"forward", "assign"} <= offered(q, clerk)


def test_s23_direct_receipt_owes_the_notice_and_counts_in_on_time_acceptance(demo, monkeypatch):
    # A competent body (a township government's desk) registers a petition handed to it directly.
    desk = demo["fengqiao_handler"]
    desk.groups.add(Group.objects.get(name=roles.PETITION_CLERK))
    desk = User.objects.get(pk=desk.pk)
    p = new_petition(desk, received_on=D(2026, 10, 2), region=FENGQIAO)
    assert not limits(p, "petition_route")
    (notice,) = limits(p, "petition_notice")
    # §23 ¶2: 15 days = Saturday 10-17, rolled to Monday.
    assert notice.due_date == D(2026, 10, 19) and notice.state == "open"
    # A petition bureau deciding a matter itself, without forwarding, owes the same notice.
    clerk = demo["zhuji_petition_clerk"]
    q = new_petition(clerk, received_on=D(2026, 10, 2))
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2026, 10, 9))
    wf.accept(p.pk, desk)
    wf.not_accept(q.pk, clerk, reason="请向诸暨市人民法院提出")
    monkeypatch.undo()
    assert limits(p, "petition_notice")[-1].met_on_time
    assert [d.state for d in limits(q, "petition_notice")] == ["met"]
    assert limits(q, "petition_route")[-1].state == "met"
    report = petition_stats.compute(
        demo["zhuji_statistician"], Region.objects.get(code="330681000000"), Period.month(2026, 10)
    )
    total = report["sheets"][0].total.values
    assert (total["notice_due"], total["notice_on_time"]) == (2, 2)


def test_s19_skip_level_referred_down(demo):
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    p = new_petition(clerk, region=FENGQIAO, is_skip_level=True)
    ordinary = new_petition(clerk, region=FENGQIAO)
    assert "refer_down" in offered(p, clerk) and "refer_down" not in offered(ordinary, clerk)
    with pytest.raises(TransitionError):  # a unit of the same level is not "down"
        wf.refer_down(p.pk, clerk, demo["zhuji_handler"].unit, notice="请到枫桥镇反映")
    wf.refer_down(p.pk, clerk, town.unit, notice="您反映的事项属枫桥镇人民政府职责，已转其办理。")
    p.refresh_from_db()
    assert p.status == "forwarded" and p.target_unit == town.unit and p.routed_by == clerk.unit
    assert told(town, "refer_down")
    entry = p.timeline.get(action="refer_down")
    assert entry.after["notice"].startswith("您反映的事项")
    assert limits(p, "petition_notice")[-1].state == "open"  # the lower unit notifies or objects (§23 ¶3)
    assert {"accept", "object"} <= offered(p, town)
    # 越级 is counted in the statistics (both were received on 2026-11-02, helpers.new_petition).
    report = petition_stats.compute(
        demo["zhuji_statistician"], Region.objects.get(code="330681000000"), Period.month(2026, 11)
    )
    assert report["sheets"][0].total.values["skip_level"] == 1


def test_s20_several_petitioners_and_five_representatives(client, demo):
    client.force_login(demo["zhuji_petition_clerk"])
    # The same person twice (here by the first petitioner's ID number) is refused, not stored twice.
    twice = client.post(
        reverse("petitions:create"), intake(other_petitioners="孙志强，11010519491231002X，13800138001")
    )
    assert twice.status_code == 200 and not Petition.objects.exists()
    others = "李秀英，，13800138001\n王志强,,13800138002\n张丽华\n刘国平，，13800138004"
    reps = "李秀英，，13800138001\n王志强,,13800138002"
    post(
        client,
        reverse("petitions:create"),
        intake(channel="letter", other_petitioners=others, representatives=reps),
    )
    p = Petition.objects.get()
    roles_ = list(p.parties.order_by("position").values_list("role", flat=True))
    assert roles_ == [PartyRole.PETITIONER] * 5 + [PartyRole.REPRESENTATIVE] * 2
    assert p.is_collective  # five petitioners by letter
    six = "\n".join(f"代表{i}，，1380013801{i}" for i in range(6))
    response = client.post(reverse("petitions:create"), intake(summary="另案", representatives=six))
    assert response.status_code == 200 and Petition.objects.count() == 1
    bad = client.post(reverse("petitions:create"), intake(summary="另案", other_petitioners="赵敏，123，12"))
    assert bad.status_code == 200 and Petition.objects.count() == 1


def test_guards_show_only_what_the_viewer_may_take_now(client, demo):
    clerk, handler, supervisor = demo["zhuji_petition_clerk"], demo["zhuji_handler"], demo["zhuji_supervisor"]
    p = new_petition(clerk)
    # A supervisor of another unit (the governance centre) does not route or accept the bureau's petition.
    assert not {"forward", "assign", "accept", "not_accept"} & offered(p, supervisor)
    with pytest.raises(PermissionDenied):
        wf.forward(p.pk, supervisor, handler.unit)
    assert {"forward", "assign", "accept"} <= offered(p, clerk)
    wf.forward(p.pk, clerk, handler.unit)
    # After forwarding, the receiving unit's buttons are the receiving unit's only.
    assert not {"accept", "object", "not_accept", "divert"} & offered(p, clerk)
    assert {"accept", "object", "not_accept"} <= offered(p, handler)
    client.force_login(clerk)
    response = client.post(reverse("petitions:action", args=[p.pk, "accept"]), {"route": "opinion"})
    assert response.status_code == 403
    assert Petition.objects.get(pk=p.pk).status == "forwarded"


def test_s31_diverted_handling_limit_is_not_applicable(demo):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    wf.forward(p.pk, clerk, handler.unit)
    wf.accept(p.pk, handler)
    wf.divert(p.pk, handler, route="legal")
    (handle,) = limits(p, "petition_handle")
    assert handle.state == "cancelled" and handle.met_on_time is None
