"""Key persons and 包案 in the admin site: scoped by the one rule (the county administrator, not of
the register's audience, is refused; a superuser sees all), views recorded, corrections written to
the timeline, nothing added or deleted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from analysis.duties import assign
from analysis.duty_models import KeyPersonEvent, ResponsibilityEvent
from cases.models import PersonalDataAccess
from tests.analysis.test_key_persons import listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(demo):
    return User.objects.create_superuser("root_admin", password="x")


def test_the_county_administrator_is_refused_the_register_in_the_admin(demo, client):
    kp, _case = listed(demo)
    client.force_login(demo["zhuji_administrator"])
    assert client.get(reverse("admin:analysis_keyperson_changelist")).status_code == 403
    assert client.get(reverse("admin:analysis_responsibility_changelist")).status_code == 403
    assert client.get(reverse("admin:analysis_keyperson_change", args=[kp.pk])).status_code in (302, 403)
    assert not PersonalDataAccess.objects.filter(fields="key_person").exists()


def test_a_staff_supervisor_sees_only_the_key_persons_of_the_register_scope(demo, client):
    from django.contrib.auth.models import Permission

    kp, _case = listed(demo)  # 先进村
    other, _c = listed(demo, village="阳春村", user="yangchun_supervisor", mediator="yangchun_mediator",
                       key="yangchun")  # fmt: skip
    viewer = demo["xianjin_supervisor"]
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_keyperson"))
    client.force_login(viewer)
    page = client.get(reverse("admin:analysis_keyperson_changelist")).content.decode()
    assert kp.name in page and reverse("admin:analysis_keyperson_change", args=[other.pk]) not in page
    assert client.get(reverse("admin:analysis_keyperson_change", args=[other.pk]))["Location"] == reverse(
        "admin:index"
    )
    assert PersonalDataAccess.objects.filter(user=viewer, via="admin", person_id=kp.person_id).exists()


def test_a_superuser_corrects_a_key_person_and_the_timeline_says_so(demo, client, root):
    kp, _case = listed(demo)
    client.force_login(root)
    url = reverse("admin:analysis_keyperson_change", args=[kp.pk])
    assert client.get(url).status_code == 200
    new_date = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    data = {"responsible": kp.responsible_id, "review_on": new_date, "note": "更正",
            "events-TOTAL_FORMS": 1, "events-INITIAL_FORMS": 1, "events-MIN_NUM_FORMS": 0,
            "events-MAX_NUM_FORMS": 1000, "events-0-id": kp.events.get().pk, "events-0-key_person": kp.pk}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    kp.refresh_from_db()
    assert kp.review_on.isoformat() == new_date
    entry = KeyPersonEvent.objects.filter(key_person=kp, action="admin").get()
    assert entry.actor == root and set(entry.after) == {"review_on", "note"}
    # A responsible person of another unit is refused with a reason.
    data["responsible"] = demo["yangchun_supervisor"].pk
    page = client.post(url, data).content.decode()
    assert "errorlist" in page
    # Nothing is added or deleted here.
    assert client.get(reverse("admin:analysis_keyperson_add")).status_code == 403
    assert client.get(reverse("admin:analysis_keyperson_delete", args=[kp.pk])).status_code == 403


def test_a_superuser_sees_a_baoan_with_its_timeline(demo, client, root):
    kp, case = listed(demo, user="fengqiao_supervisor")
    actor = demo["fengqiao_supervisor"]
    r = assign(actor, leader=actor, unit=actor.unit, staff=[], due_on=timezone.localdate(), duty="稳控",
               case_pk=case.pk)  # fmt: skip
    client.force_login(root)
    page = client.get(reverse("admin:analysis_responsibility_change", args=[r.pk])).content.decode()
    assert "稳控" in page and ResponsibilityEvent.objects.filter(responsibility=r).exists()
    assert case.number in client.get(reverse("admin:analysis_responsibility_changelist")).content.decode()
