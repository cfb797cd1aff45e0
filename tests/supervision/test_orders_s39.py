"""督办单 (信访工作条例 §39, §40): down or sideways from a 信访部门 or 综治中心, within its own
jurisdiction, granting nothing; issuing tells the target unit at once, a reply tells the issuer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit, UnitKind
from cases.handoffs import case_url
from cases.models import CaseGroupObjectPermission
from cases.transitions import TransitionError
from petitions import workflow as pwf
from supervision.models import Notification, NotificationKind, SupervisionOrder
from supervision.orders import issue_order, may_direct, order_targets, reply_order
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db


def soon():
    return timezone.localdate() + datetime.timedelta(days=3)


def order(issuer, case, target, text="限期化解并回复"):
    return issue_order(issuer, case.pk, target_unit=target, required_action=text, target_date=soon())


def notices(user, case):
    return Notification.objects.filter(user=user, case_id=case.pk, kind=NotificationKind.HANDOFF)


def test_s39_order_goes_down_or_sideways_only(demo):
    town, village = demo["fengqiao_supervisor"].unit, demo["xianjin_supervisor"].unit
    committee = demo["xianjin_mediator"].unit
    county_labour = demo["zhuji_handler"].unit
    town_government = demo["fengqiao_handler"].unit
    other_town = demo["jiyang_mediator"].unit
    assert may_direct(town, committee)  # down
    assert may_direct(town, town_government)  # sideways, same place
    assert may_direct(village, committee)  # sideways in the village
    assert not may_direct(village, county_labour)  # never from a village up to a county department
    assert not may_direct(committee.__class__.objects.get(pk=village.pk), town)  # never up
    assert not may_direct(town, other_town)  # not another town: outside the jurisdiction
    assert not may_direct(town, town)  # not to itself

    d = new_dispute(demo["xianjin_mediator"])
    with pytest.raises(TransitionError, match="own level or below|本级或下级"):
        order(demo["xianjin_supervisor"], d, town)
    assert order(demo["fengqiao_supervisor"], d, committee).target_unit == committee
    assert order(demo["xianjin_supervisor"], d, committee).issuing_unit == village


def test_s39_only_a_petition_bureau_or_governance_centre_issues(demo):
    d = new_dispute(demo["xianjin_mediator"])
    committee = demo["xianjin_mediator"].unit
    assert not may_direct(demo["fengqiao_mediator"].unit, committee)  # a mediation committee does not
    assert may_direct(demo["zhuji_petition_clerk"].unit, committee)  # the county 信访局 does
    supervisor = demo["fengqiao_supervisor"]
    supervisor.unit = demo["fengqiao_mediator"].unit  # a supervisor placed in a committee
    supervisor._jiefen_unit = supervisor.unit
    with pytest.raises(TransitionError, match="§39|第三十九条"):
        order(supervisor, d, committee)


def test_s39_order_grants_no_new_access(demo):
    d = new_dispute(demo["xianjin_mediator"])
    labour = demo["zhuji_handler"].unit  # a county department: sees only what is assigned to it
    county = demo["zhuji_supervisor"]
    grants = CaseGroupObjectPermission.objects.count()
    with pytest.raises(TransitionError, match="grants no access|不授予") as refused:
        order(county, d, labour)
    assert labour.name in str(refused.value)
    assert not SupervisionOrder.objects.exists()
    assert CaseGroupObjectPermission.objects.count() == grants
    assert labour not in order_targets(county, d)
    # A unit that already sees the case: the order changes nothing about who sees what.
    committee = demo["xianjin_mediator"].unit
    order(county, d, committee)
    assert CaseGroupObjectPermission.objects.count() == grants


def test_s39_order_to_a_department_that_was_forwarded_the_case(demo):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    pwf.forward(p.pk, clerk, handler.unit)
    grants = CaseGroupObjectPermission.objects.count()
    assert handler.unit in order_targets(demo["zhuji_supervisor"], p)  # sideways, it sees the case
    order(demo["zhuji_supervisor"], p, handler.unit)
    assert CaseGroupObjectPermission.objects.count() == grants


def test_s30_order_never_to_the_unit_the_case_is_withheld_from(demo):
    accused = demo["xianjin_grid_worker"].unit
    p = new_petition(demo["zhuji_petition_clerk"], region="330681109219")
    p.withheld_from_unit = accused
    p.save()
    with pytest.raises(TransitionError, match="§30|第三十条"):
        order(demo["zhuji_supervisor"], p, accused)
    assert accused not in order_targets(demo["zhuji_supervisor"], p)


def test_s39_issuing_notifies_the_target_unit_at_once(demo):
    d = new_dispute(demo["xianjin_mediator"])
    supervisor, committee = demo["fengqiao_supervisor"], demo["xianjin_mediator"].unit
    Notification.objects.all().delete()
    order(supervisor, d, committee)
    told = set(Notification.objects.filter(case_id=d.pk).values_list("user_id", flat=True))
    assert told == set(committee.members.filter(is_active=True).values_list("pk", flat=True))
    note = notices(demo["xianjin_mediator"], d).get()
    assert note.link == case_url(d) and note.action == "supervise" and note.read_at is None
    assert supervisor.unit.name in note.body


def test_s40_reply_notifies_the_issuer(demo):
    d = new_dispute(demo["xianjin_mediator"])
    supervisor, mediator = demo["fengqiao_supervisor"], demo["xianjin_mediator"]
    o = order(supervisor, d, mediator.unit)
    reply_order(mediator, o.pk, "已于本周组织调解，双方达成协议")
    note = notices(supervisor, d).get(action="supervise_reply")
    # It links to the order, which shows the answer.
    assert note.link == reverse("supervision:reply", args=[o.pk]) and mediator.unit.name in note.body
    # The issuing unit's other members hear of it too; the replier does not.
    colleagues = Unit.objects.get(pk=supervisor.unit_id).members.exclude(pk=supervisor.pk)
    for colleague in colleagues:
        assert notices(colleague, d).filter(action="supervise_reply").exists()
    assert not notices(mediator, d).filter(action="supervise_reply").exists()


def test_s40_opening_the_answered_order_reads_its_notice(demo, client):
    d = new_dispute(demo["xianjin_mediator"])
    supervisor, mediator = demo["fengqiao_supervisor"], demo["xianjin_mediator"]
    o = order(supervisor, d, mediator.unit)
    reply_order(mediator, o.pk, "已办结")
    client.force_login(supervisor)
    page = client.get(reverse("supervision:reply", args=[o.pk])).content.decode()
    assert "已办结" in page and 'name="reply"' not in page  # the issuer reads, never answers
    assert notices(supervisor, d).get(action="supervise_reply").read_at is not None


def test_s39_order_form_offers_only_the_allowed_targets(client, demo):
    d = new_dispute(demo["xianjin_mediator"])
    supervisor = demo["fengqiao_supervisor"]
    client.force_login(supervisor)
    page = client.get(reverse("supervision:issue", args=[d.pk])).content.decode()
    allowed = order_targets(supervisor, d)
    assert demo["xianjin_mediator"].unit in allowed and demo["fengqiao_handler"].unit in allowed
    for unit in allowed:
        assert f'value="{unit.pk}"' in page
    for unit in (demo["zhuji_handler"].unit, demo["zhuji_supervisor"].unit, supervisor.unit,
                 demo["jiyang_mediator"].unit):  # fmt: skip
        assert f'value="{unit.pk}"' not in page
    # A forged POST naming a unit above is refused with the reason, and nothing is issued.
    response = client.post(reverse("supervision:issue", args=[d.pk]), {
        "target_unit": demo["zhuji_supervisor"].unit_id, "required_action": "x", "target_date": soon()})  # fmt: skip
    assert response.status_code == 200 and not SupervisionOrder.objects.exists()


def test_s39_automatic_order_comes_from_the_level_that_supervises_the_handling_unit(demo):
    from supervision.reminders import scan, send
    from tests.supervision.test_reminders import NOW, case_due

    village_case = case_due(demo, datetime.date(2026, 11, 10))
    town_case = case_due(demo, datetime.date(2026, 11, 10), handler="fengqiao_handler")
    scan(NOW)
    send(NOW)
    by_case = {o.case_id: o for o in SupervisionOrder.objects.select_related("issuing_unit__region")}
    assert by_case[village_case.case_id].issuing_unit == demo["fengqiao_supervisor"].unit  # town above
    assert by_case[town_case.case_id].issuing_unit == demo["zhuji_supervisor"].unit  # county above
    for o in by_case.values():
        assert o.issuing_unit.kind == UnitKind.GOVERNANCE_CENTRE and may_direct(o.issuing_unit, o.target_unit)
        # and the handling unit was told at once
        assert Notification.objects.filter(case_id=o.case_id, action="supervise",
                                           user__unit_id=o.target_unit_id).exists()  # fmt: skip


def test_s39_the_case_page_lists_its_orders_for_the_issuer_and_the_target(demo, client):
    from django.urls import reverse

    from supervision.orders import default_target_date, issue_order
    from tests.dispute_helpers import new_dispute

    mediator, town = demo["xianjin_mediator"], demo["fengqiao_supervisor"]
    d = new_dispute(mediator)
    order = issue_order(
        town, d.pk, target_unit=mediator.unit, required_action="请三日内书面回复化解进展",
        target_date=default_target_date(),
    )  # fmt: skip
    reply_url = reverse("supervision:reply", args=[order.pk])
    for user in (mediator, town):
        client.force_login(user)
        page = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
        assert "请三日内书面回复化解进展" in page and f'href="{reply_url}"' in page
    client.force_login(demo["xianjin_supervisor"])  # sees the case, neither issued nor received it
    assert (
        "请三日内书面回复化解进展" not in client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    )
