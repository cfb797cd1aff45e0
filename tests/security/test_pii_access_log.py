"""Every full view of an ID number or phone is recorded (who saw whose, when, where); masked views
are not, and the record is append-only."""

import pytest
from django.urls import reverse

from cases.models import PersonalDataAccess
from petitions.workflow import accept
from tests.dispute_helpers import archived, new_dispute
from tests.petitions.helpers import new_petition, person

pytestmark = pytest.mark.django_db


def test_full_view_of_a_dispute_is_recorded_per_party(client, demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    response = client.get(reverse("disputes:detail", args=[dispute.pk]))
    assert response.status_code == 200
    assert "11010519491231002X" in response.content.decode()
    rows = list(PersonalDataAccess.objects.order_by("pk"))
    names = {link.person_id: link.name for link in dispute.parties.all()}
    # 张三明 has an ID number and a phone, 李四 only a phone.
    assert sorted((names[r.person_id], r.fields, r.via, r.user_id, r.case_id) for r in rows) == [
        ("张三明", "id_number,phone", "dispute_detail", demo["xianjin_mediator"].pk, dispute.pk),
        ("李四", "phone", "dispute_detail", demo["xianjin_mediator"].pk, dispute.pk),
    ]
    assert all(r.at is not None for r in rows)


def test_masked_view_records_nothing(client, demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_grid_worker"])  # sees 1101**********002X
    response = client.get(reverse("disputes:detail", args=[dispute.pk]))
    assert response.status_code == 200
    assert "11010519491231002X" not in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0


def test_petition_page_and_pdf_are_recorded(client, demo):
    clerk = demo["zhuji_petition_clerk"]
    petition = new_petition(clerk, petitioners=[person(id_number="110105194912310021"[:17] + "X")])
    accept(petition.pk, clerk)  # so that its acceptance notice exists
    client.force_login(clerk)
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 200
    assert client.get(reverse("petitions:pdf", args=[petition.pk, "acceptance"])).status_code == 200
    vias = sorted(PersonalDataAccess.objects.filter(user=clerk).values_list("via", flat=True))
    assert vias == ["pdf:acceptance", "petition_detail"]


def test_dispute_pdf_is_recorded_with_the_document(client, demo):
    dispute = archived(new_dispute(demo["xianjin_mediator"]), demo["xianjin_mediator"])
    client.force_login(demo["xianjin_supervisor"])
    assert client.get(reverse("disputes:pdf", args=[dispute.pk, "closure"])).status_code == 200
    assert set(PersonalDataAccess.objects.values_list("via", flat=True)) == {"pdf:closure"}


def test_recording_costs_one_query_whatever_the_party_count(demo, django_assert_num_queries):
    from cases.pii import record_full_views

    dispute = new_dispute(demo["xianjin_mediator"])
    links = list(dispute.parties.all())
    with django_assert_num_queries(1):
        assert record_full_views(demo["xianjin_mediator"], dispute, links * 3, "test") == 2


def test_records_are_append_only(demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    from cases.pii import record_full_views

    record_full_views(demo["xianjin_mediator"], dispute, list(dispute.parties.all()), "t")
    row = PersonalDataAccess.objects.first()
    row.via = "changed"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()
