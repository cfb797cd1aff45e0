"""信访工作条例 §25 (a major or urgent matter is reported up at once) and §28 ¶3 (回避)."""

import pytest
from django.core.exceptions import PermissionDenied

from cases.models import TimelineEntry
from cases.transitions import TransitionError
from petitions import workflow as wf
from petitions.models import Petition
from supervision.models import Notification
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db


def test_s25_major_matter_tells_the_level_above_and_the_county_leaders_with_a_record(demo):
    clerk = demo["fengqiao_petition_clerk"]  # 枫桥镇综治中心 holds the matter
    p = new_petition(clerk, region="330681109219")
    wf.TRANSITIONS["report_major"].execute(p.pk, clerk, {"reason": "三十余名工人聚集，情绪激动"})
    p = Petition.objects.get(pk=p.pk)
    assert p.is_major
    county_centre = demo["zhuji_supervisor"].unit
    told_users = set(Notification.objects.filter(case_id=p.pk).values_list("user__username", flat=True))
    # The county's leaders and its petition bureau are told; the town's own centre is not told of itself.
    assert "zhuji_supervisor" in told_users and "zhuji_petition_clerk" in told_users
    assert clerk.username not in told_users
    entry = TimelineEntry.objects.get(case_id=p.pk, action="report_major")
    assert str(county_centre) in entry.after["told"] and entry.after["told_at"]
    assert entry.after["reason"] == "三十余名工人聚集，情绪激动"


def test_s25_major_needs_a_reason_and_the_unit_holding_it(demo):
    clerk = demo["fengqiao_petition_clerk"]
    p = new_petition(clerk, region="330681109219")
    with pytest.raises(TransitionError):
        wf.conduct.report_major(p.pk, clerk, reason=" ")
    with pytest.raises(PermissionDenied):  # the county supervisor does not hold the town's matter
        wf.conduct.report_major(p.pk, demo["zhuji_supervisor"], reason="紧急")


def test_s28_recusal_hands_the_matter_to_a_colleague_and_says_why(demo):
    clerk = demo["zhuji_petition_clerk"]
    p = new_petition(clerk)
    Petition.objects.filter(pk=p.pk).update(handler=clerk)
    colleague = demo["zhuji_statistician"]  # another member of the county 信访局
    wf.conduct.recuse(p.pk, clerk, reason="信访人系本人近亲属", handler=colleague)
    p = Petition.objects.get(pk=p.pk)
    assert p.handler == colleague
    entry = TimelineEntry.objects.get(case_id=p.pk, action="recuse")
    assert entry.after["reason"] == "信访人系本人近亲属" and entry.before["handler"] != entry.after["handler"]
    assert Notification.objects.filter(case_id=p.pk, user=colleague, action="recuse").exists()
    # Only the handler steps aside; and never to oneself or outside the unit.
    with pytest.raises(PermissionDenied):
        wf.conduct.recuse(p.pk, clerk, reason="再次", handler=demo["zhuji_supervisor"])
    Petition.objects.filter(pk=p.pk).update(handler=clerk)
    with pytest.raises(TransitionError):  # the labour department is another unit
        wf.conduct.recuse(p.pk, clerk, reason="利害关系", handler=demo["zhuji_handler"])
    with pytest.raises(TransitionError):
        wf.conduct.recuse(p.pk, clerk, reason="利害关系", handler=clerk)
