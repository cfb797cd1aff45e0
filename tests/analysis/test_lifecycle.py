"""The warning lifecycle (analysis.workflow): raised → sent down → signed for → handled → closed,
each step declared once, locked, on the warning's timeline and told to whoever acts next."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from accounts.models import Unit
from analysis import workflow as wf
from analysis.models import WarningStatus
from cases.transitions import TransitionConflict, TransitionError
from supervision.models import Notification
from tests.analysis.helpers import new_warning
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def told(user, warning):
    return Notification.objects.filter(user=user, link=reverse("analysis:detail", args=[warning.pk]))


def test_the_lifecycle_walk_closes_a_warning_with_notices_and_timeline(demo):
    county, town = demo["zhuji_supervisor"], demo["fengqiao_supervisor"]
    case = new_dispute(demo["yangchun_mediator"], village="yangchun")
    w = new_warning("yangchun", cases=[case])
    assert w.status == WarningStatus.RAISED and w.unit.name == "诸暨市综治中心"
    assert told(county, w).count() == 1  # the rule tells the county centre's supervisors

    centre = Unit.objects.get(name="枫桥镇综治中心")
    wf.send(w.pk, county, unit=centre)
    assert told(town, w).count() == 1
    wf.sign(w.pk, town)
    assert told(county, w).count() == 2  # the unit that sent it hears that it was signed for
    wf.handle(w.pk, town, handling="已约谈双方，排查完毕", case_numbers=case.number)
    wf.close(w.pk, town, note="隐患已化解")

    w.refresh_from_db()
    assert w.status == WarningStatus.CLOSED and w.closed_by == town and w.signed_by == town
    assert list(w.linked.all()) == [case.case_ptr]
    actions = list(w.events.values_list("action", flat=True))
    assert actions == ["raise", "send", "sign", "handle", "close"]
    last = w.events.last()
    assert last.before["status"] == "handled" and last.after["status"] == "closed"
    assert told(county, w).count() == 4  # signed, handled, closed
    assert not told(town, w).filter(title__contains=str(wf.TRANSITIONS["close"].label)).exists()


def test_only_the_responsible_unit_signs_for_it(demo):
    w = new_warning("yangchun")
    with pytest.raises(PermissionDenied):
        wf.sign(w.pk, demo["fengqiao_supervisor"])  # sees it, but the county must sign (or send it)
    wf.sign(w.pk, demo["zhuji_supervisor"])


def test_a_step_taken_twice_is_a_conflict(demo):
    w = new_warning("yangchun")
    wf.sign(w.pk, demo["zhuji_supervisor"])
    with pytest.raises(TransitionConflict):
        wf.sign(w.pk, demo["zhuji_supervisor"])


def test_a_warning_is_sent_only_down_to_a_unit_that_sees_its_place(demo):
    w = new_warning("yangchun")
    county = demo["zhuji_supervisor"]
    names = {u.name for u in wf.send_targets(w, county)}
    assert names == {"枫桥镇综治中心", "枫桥镇人民政府", "阳春村综治中心"}
    with pytest.raises(TransitionError):
        wf.send(w.pk, county, unit=Unit.objects.get(name="先进村综治中心"))  # another village


def test_a_linked_case_must_be_one_the_handler_may_see(demo):
    w = new_warning("yangchun")
    county = demo["zhuji_supervisor"]
    foreign = new_dispute(demo["jiangdong_mediator"], village="jiangdong")
    wf.send(w.pk, county, unit=Unit.objects.get(name="阳春村综治中心"))
    wf.sign(w.pk, demo["yangchun_supervisor"])
    with pytest.raises(TransitionError) as refused:
        wf.handle(w.pk, demo["yangchun_supervisor"], handling="处置", case_numbers=foreign.number)
    assert refused.value.field == "case_numbers"


def test_a_user_who_may_not_see_the_warning_gets_404(demo):
    w = new_warning("yangchun")
    with pytest.raises(Http404):
        wf.sign(w.pk, demo["xianjin_supervisor"])


def test_the_same_pattern_never_has_two_open_warnings(demo):
    assert new_warning("yangchun") is not None
    assert new_warning("yangchun") is None


def test_a_step_page_after_the_state_moved_on_says_so_about_the_warning(demo, client):
    w = new_warning("yangchun")
    client.force_login(demo["zhuji_supervisor"])
    response = client.get(reverse("analysis:action", args=[w.pk, "close"]))
    assert response.status_code == 409
    assert "该预警当前状态为" in response.content.decode()
