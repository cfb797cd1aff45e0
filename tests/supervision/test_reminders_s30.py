"""Reminders, escalations and the outbox under the one rule: an accusation's reminders never reach
the unit it accuses (信访工作条例 §30), a reminder nobody may see is recorded, and the outbox checks
again at delivery."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.demo import VILLAGES
from accounts.models import Region, RegionLevel, Unit, UnitKind
from cases.deadlines import open_deadline
from cases.models import TimelineEntry
from supervision import notify
from supervision.models import Notification, SupervisionOrder
from supervision.reminders import scan, send
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))  # Tuesday, working hours


def due(case, days_late):
    day = NOW.date() - datetime.timedelta(days=days_late)
    return open_deadline(case, "performance", day - datetime.timedelta(days=1), due_date=day)


def accusation(demo):
    """In 先进村, against 先进村综治中心, which handles it and whose member is its handler."""
    accused = demo["xianjin_supervisor"].unit
    return CaseFactory(
        region_id=VILLAGES["xianjin"], handling_unit=accused, handler=demo["xianjin_grid_worker"],
        withheld_from_unit=accused, summary="举报村干部",
    )  # fmt: skip


def test_s30_reminders_of_an_accusation_skip_the_accused_unit_and_reach_the_town(demo):
    case = accusation(demo)
    due(case, 1)  # overdue: the handler and the village centre's supervisors, all of the accused unit
    scan(NOW)
    send(NOW)
    assert not Notification.objects.filter(user__unit=case.withheld_from_unit).exists()
    assert Notification.objects.get(user=demo["fengqiao_supervisor"]).case_ids == [case.pk]


def test_s30_no_automatic_order_is_addressed_to_the_accused_unit_and_the_timeline_says_so(demo):
    case = accusation(demo)
    due(case, 10)
    scan(NOW)
    send(NOW)
    assert not SupervisionOrder.objects.exists()
    assert TimelineEntry.objects.filter(case_id=case.pk, action="order_not_issued").count() == 1
    assert Notification.objects.filter(user=demo["fengqiao_supervisor"], case_ids=[case.pk]).exists()


def test_a_handler_who_may_not_see_the_case_is_replaced_by_the_members_who_may(demo):
    # A mediator of the village 调委会 handles a case withheld from the 调委会 but handled by the centre.
    case = CaseFactory(
        region_id=VILLAGES["xianjin"], handling_unit=demo["xianjin_supervisor"].unit,
        handler=demo["xianjin_mediator"], withheld_from_unit=demo["xianjin_mediator"].unit,
    )  # fmt: skip
    due(case, 0)
    scan(NOW)
    send(NOW)
    reached = set(Notification.objects.values_list("user__username", flat=True))
    assert "xianjin_mediator" not in reached and "xianjin_supervisor" in reached


def test_a_reminder_nobody_may_see_is_logged_and_written_on_the_timeline(demo, caplog):
    county = Region.objects.create(code="339901000000", name="外县", level=RegionLevel.COUNTY)
    unit = Unit.objects.create(name="外县综治中心", kind=UnitKind.GOVERNANCE_CENTRE, region=county)
    case = CaseFactory(region_id=county.code, handling_unit=unit)  # a unit without members
    due(case, 0)
    scan(NOW)
    assert send(NOW) == 1
    assert not Notification.objects.exists()
    assert TimelineEntry.objects.filter(case_id=case.pk, action="reminder_undelivered").count() == 1
    assert "nobody who may see the case" in caplog.text


def test_the_outbox_sends_nothing_to_a_user_moved_to_another_unit_since(demo, monkeypatch):
    user = demo["xianjin_mediator"]
    user.email = "mediator@example.org"
    user.save()
    case = CaseFactory(region_id=VILLAGES["xianjin"], handler=user, handling_unit=user.unit)
    due(case, 0)
    monkeypatch.setattr(notify, "deliver_outbox", lambda: {})
    scan(NOW)
    send(NOW)
    monkeypatch.undo()
    user.unit = demo["jiangdong_mediator"].unit
    user.save()
    case.handler = None
    case.save()
    assert notify.deliver_outbox()["email"] == 0 and mail.outbox == []
    note = Notification.objects.get(user=user)
    assert note.email_pending is False and note.emailed_at is None
