"""A saved petition record is corrected by the unit holding it, with a reason; the old value stays
on the timeline, and the limits that run from receipt move with a corrected receipt date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from cases.deadlines import open_deadline_of
from cases.models import TimelineEntry
from cases.transitions import TransitionError
from petitions import corrections
from petitions.models import Petition
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db


def test_correction_keeps_the_old_value_on_the_timeline_and_moves_the_receipt_limit(demo):
    clerk = demo["zhuji_petition_clerk"]
    p = new_petition(clerk, received_on=datetime.date(2026, 11, 2), summary="拖欠工资")
    corrections.correct_petition(
        p.pk, clerk, reason="登记时日期录错", received_on=datetime.date(2026, 11, 3), summary="拖欠农民工工资"
    )
    p = Petition.objects.get(pk=p.pk)
    assert p.received_on == datetime.date(2026, 11, 3) and p.summary == "拖欠农民工工资"
    entry = TimelineEntry.objects.get(case_id=p.pk, action="correct_record")
    assert entry.before["received_on"] == "2026-11-02" and entry.before["summary"] == "拖欠工资"
    assert entry.after["received_on"] == "2026-11-03" and entry.after["reason"] == "登记时日期录错"
    assert open_deadline_of(p, "petition_route").start_date == datetime.date(2026, 11, 3)


def test_correction_needs_a_reason_a_change_and_a_sensible_date(demo):
    clerk = demo["zhuji_petition_clerk"]
    p = new_petition(clerk)
    with pytest.raises(TransitionError):
        corrections.correct_petition(p.pk, clerk, reason=" ", summary="新摘要")
    with pytest.raises(TransitionError):
        corrections.correct_petition(p.pk, clerk, reason="无变化", summary=p.summary)
    with pytest.raises(TransitionError):
        corrections.correct_petition(p.pk, clerk, reason="未来", received_on=datetime.date(2099, 1, 1))


def test_correction_refused_to_others(demo):
    p = new_petition(demo["zhuji_petition_clerk"])
    with pytest.raises(PermissionDenied):  # the county centre's supervisor does not hold it
        corrections.correct_petition(p.pk, demo["zhuji_supervisor"], reason="改", summary="改过")
