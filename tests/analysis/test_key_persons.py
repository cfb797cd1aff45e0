"""Key persons (重点人员) and 包案 (五定): who sees the register, every view recorded, listing from a
warning, putting a key person or a case under a leader, the leader's panel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit
from analysis.duties import assign, conclude, list_key_person
from analysis.duty_models import KeyPerson, Responsibility
from cases.models import CaseParty, PersonalDataAccess
from supervision.models import Notification
from tests.analysis.helpers import new_warning
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 24)


def centre(village):
    return Unit.objects.get(name=f"{village}综治中心")


def listed(demo, village="先进村", user="xianjin_supervisor", mediator="xianjin_mediator", key="xianjin"):
    case = new_dispute(demo[mediator], village=key)
    party = CaseParty.objects.filter(case=case, role="applicant").first()
    actor = demo[user]
    kp = list_key_person(
        actor, person_id=party.person_id, name=party.name, reason="repeat", note="多次来访", unit=actor.unit,
        responsible=actor, review_on=timezone.localdate() + datetime.timedelta(days=3),
    )  # fmt: skip
    return kp, case


def test_a_grid_worker_and_a_statistician_are_refused_the_register(demo, client):
    kp, _case = listed(demo)
    for name in ("xianjin_grid_worker", "zhuji_statistician", "xianjin_mediator"):
        client.force_login(demo[name])
        assert client.get(reverse("analysis:key_persons")).status_code == 403
        assert client.get(reverse("analysis:key_person", args=[kp.pk])).status_code == 403
    assert not PersonalDataAccess.objects.filter(fields="key_person").exists()


def test_another_village_s_key_person_is_invisible(demo, client):
    kp, _case = listed(demo)
    client.force_login(demo["yangchun_supervisor"])
    assert client.get(reverse("analysis:key_person", args=[kp.pk])).status_code == 404
    assert kp.name not in client.get(reverse("analysis:key_persons")).content.decode()
    # The town and the county above the responsible unit see it; so do petition staff.
    for name in ("fengqiao_supervisor", "zhuji_supervisor", "xianjin_petition_clerk"):
        client.force_login(demo[name])
        assert kp.name in client.get(reverse("analysis:key_persons")).content.decode(), name


def test_every_view_of_the_register_and_of_a_page_is_recorded(demo, client):
    kp, _case = listed(demo)
    viewer = demo["zhuji_supervisor"]
    client.force_login(viewer)
    client.get(reverse("analysis:key_persons"))
    client.get(reverse("analysis:key_person", args=[kp.pk]))
    vias = list(
        PersonalDataAccess.objects.filter(user=viewer, person_id=kp.person_id).values_list("via", flat=True)
    )
    assert sorted(vias) == ["key_person", "key_person_list"]


def test_a_repeat_person_warning_offers_listing_and_lists_the_person(demo, client):
    case = new_dispute(demo["xianjin_mediator"], village="xianjin")
    party = CaseParty.objects.get(case=case, role="applicant")
    w = new_warning("xianjin", key=f"repeat:{party.person_id}", cases=[case], rule="repeat_person")
    county = demo["zhuji_supervisor"]
    client.force_login(county)
    page = client.get(reverse("analysis:detail", args=[w.pk])).content.decode()
    url = reverse("analysis:key_person_from_warning", args=[w.pk])
    assert url in page
    form = client.get(url)
    assert party.name in form.content.decode()
    review = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(url, {"name": party.name, "reason": "repeat", "note": "三次来访", "unit": county.unit_id,
                                 "responsible": county.pk, "review_on": review})  # fmt: skip
    kp = KeyPerson.objects.get()
    assert response.status_code == 302 and kp.person_id == party.person_id and kp.warning == w
    # A grid worker of the village sees the warning but no button, and the listing page is refused.
    client.force_login(demo["xianjin_grid_worker"])
    assert url not in client.get(reverse("analysis:detail", args=[w.pk])).content.decode()
    assert client.get(url).status_code == 403


def test_baoan_tells_the_leader_and_staff_and_shows_in_my_baoan(demo, client):
    kp, _case = listed(demo, user="zhuji_supervisor")
    county, leader, staff = (
        demo["zhuji_supervisor"],
        demo["fengqiao_supervisor"],
        demo["fengqiao_grid_worker"],
    )
    r = assign(county, key_person_pk=kp.pk, leader=leader, unit=leader.unit, staff=[staff],
               due_on=timezone.localdate() + datetime.timedelta(days=20), duty="化解息访")  # fmt: skip
    assert set(Notification.objects.filter(link=reverse("analysis:baoan", args=[r.pk])).values_list(
        "user_id", flat=True)) == {leader.pk, staff.pk}  # fmt: skip
    assert r.events.get().action == "assign"
    assert kp.events.filter(action="baoan").exists()
    client.force_login(leader)
    link = reverse("analysis:baoan", args=[r.pk])
    assert link in client.get(reverse("analysis:baoan_list")).content.decode()
    assert link in client.get(reverse("home")).content.decode()
    assert client.get(link).status_code == 200
    # Another town's supervisor does not see it.
    client.force_login(demo["jiyang_supervisor"])
    assert client.get(link).status_code == 404


def test_an_overdue_time_limit_shows_on_the_leader_s_panel(demo, client):
    case = new_dispute(demo["fengqiao_mediator"], village="xianjin")
    county, leader = demo["zhuji_supervisor"], demo["fengqiao_supervisor"]
    r = assign(county, case_pk=case.pk, leader=leader, unit=leader.unit, staff=[], due_on=timezone.localdate(),
               duty="限期化解")  # fmt: skip
    Responsibility.objects.filter(pk=r.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert 'id="baoan-panel"' in page and "text-bg-danger" in page.split('id="baoan-panel"')[1]
    # The case's own timeline says it was put under a leader; the statistics count it as open.
    assert case.timeline.filter(action="baoan").exists()
    client.force_login(county)
    stats = client.get(reverse("analysis:list")).content.decode().split('id="baoan-stats"')[1]
    assert "<td>1</td><td>0</td>" in stats
    conclude(r.pk, leader, outcome="已化解")
    stats = client.get(reverse("analysis:list")).content.decode().split('id="baoan-stats"')[1]
    assert "<td>0</td><td>1</td>" in stats


def test_a_key_person_review_due_shows_on_the_responsible_person_s_home(demo, client):
    kp, _case = listed(demo)
    client.force_login(demo["xianjin_supervisor"])
    assert reverse("analysis:key_person", args=[kp.pk]) in client.get(reverse("home")).content.decode()
