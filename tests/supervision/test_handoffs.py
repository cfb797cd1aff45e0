"""Every hand-off notifies whoever must act next, at once and in the hand-off's transaction, and
only people who may see the case (cases.handoffs, supervision.handoffs)."""

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.demo import VILLAGES
from accounts.models import User
from mediation import workflow as dwf
from petitions import workflow as pwf
from supervision.models import Notification, NotificationKind
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db


def handoffs_of(user):
    return Notification.objects.filter(user=user, kind=NotificationKind.HANDOFF)


def test_forward_notifies_the_receiving_department_with_a_link(demo):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    pwf.forward(p.pk, clerk, handler.unit)
    note = handoffs_of(handler).get()
    assert p.number in note.title and note.link == reverse("petitions:detail", args=[p.pk])
    assert note.case_id == p.pk and note.read_at is None
    # The sender is not told of their own step.
    assert not handoffs_of(clerk).exists()


def test_opening_the_case_reads_its_handoff_notice(demo, client):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    pwf.forward(p.pk, clerk, handler.unit)
    client.force_login(handler)
    assert client.get(reverse("petitions:detail", args=[p.pk])).status_code == 200
    assert handoffs_of(handler).get().read_at is not None


def test_a_handoff_that_fails_leaves_no_notice(demo):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    with pytest.raises(RuntimeError), transaction.atomic():
        pwf.forward(p.pk, clerk, handler.unit)
        raise RuntimeError("rolled back")
    assert not handoffs_of(handler).exists()


def test_grid_workers_report_notifies_the_village_but_a_mediators_own_intake_does_not(demo):
    grid, mediator = demo["xianjin_grid_worker"], demo["xianjin_mediator"]
    d = new_dispute(grid, summary="宅基地边界纠纷")
    receivers = set(Notification.objects.filter(case_id=d.pk).values_list("user_id", flat=True))
    assert receivers and grid.pk not in receivers
    # The village centre the grid worker sits in, and the committee whose mediators accept it.
    units = [d.handling_unit_id, mediator.unit_id]
    assert receivers <= set(User.objects.filter(unit_id__in=units).values_list("pk", flat=True))
    assert mediator.pk in receivers
    before = Notification.objects.count()
    new_dispute(mediator, summary="相邻关系纠纷")
    assert Notification.objects.count() == before


def test_escalation_notifies_the_unit_above(demo):
    mediator, town = demo["xianjin_mediator"], demo["fengqiao_supervisor"]
    d = new_dispute(mediator)
    dwf.escalate(d.pk, mediator, unit=town.unit, reason="涉及多户，村里调不下来")
    assert handoffs_of(town).filter(case_id=d.pk, action="escalate").exists()


def test_an_accusation_is_never_announced_to_the_accused_unit(demo):
    clerk = demo["xianjin_petition_clerk"]
    p = new_petition(
        clerk, kind="accusation", region=VILLAGES["xianjin"], complained_unit=clerk.unit,
        category="discipline_supervision", summary="举报村干部",
    )  # fmt: skip
    town_clerk = demo["fengqiao_petition_clerk"]
    labour = demo["zhuji_handler"].unit
    pwf.forward(p.pk, town_clerk, labour)
    told = set(Notification.objects.filter(case_id=p.pk).values_list("user__unit_id", flat=True))
    assert clerk.unit_id not in told
