"""Rule 2 of issue 18, the lasting link: a petition of a party of an earlier dispute is recorded as a
``Conversion`` row when the petition is registered (and by the scan for rows written without
signals), shown on both case pages to those who may see the other case, and counted by the
conversion-rate figure (analysis.conversions)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis import scan
from analysis.conversions import converted_q, link_petitions
from analysis.models import Conversion
from cases.models import Case
from tests.analysis.planted import dispute, petition

pytestmark = pytest.mark.django_db
PERSON = {"name": "冯来访", "phone": "13300133000"}


def test_registering_a_petition_of_an_earlier_dispute_s_party_records_the_link(demo):
    now, actor = timezone.now(), demo["zhuji_supervisor"]
    earlier = dispute(actor, "xianjin", 30, now, applicant=PERSON)
    respondent_side = dispute(actor, "xianjin", 20, now, respondent=PERSON)
    dispute(actor, "xianjin", 10, now)  # someone else's
    later = petition(actor, "yangchun", 1, now, petitioner=PERSON)
    rows = {(c.dispute_id, c.petition_id, c.dispute_role) for c in Conversion.objects.all()}
    assert rows == {(earlier.pk, later.pk, "applicant"), (respondent_side.pk, later.pk, "respondent")}
    # The scan reads the same petition again: nothing new.
    scan.scan()
    assert Conversion.objects.count() == 2


def test_a_petition_written_without_signals_is_linked_by_the_scan(demo):
    now, actor = timezone.now(), demo["zhuji_supervisor"]
    earlier = dispute(actor, "xianjin", 30, now, applicant=PERSON)
    later = petition(actor, "xianjin", 1, now, petitioner=PERSON)
    Conversion.objects.all().delete()  # as if imported in bulk
    scan.scan()
    assert list(Conversion.objects.values_list("dispute_id", "petition_id")) == [(earlier.pk, later.pk)]
    assert link_petitions([later.pk]) == 0


def test_a_dispute_after_the_petition_or_an_organisation_is_no_conversion(demo):
    now, actor = timezone.now(), demo["zhuji_supervisor"]
    company = {"name": "诸暨市某某公司", "phone": "057587000000", "is_organisation": True}
    dispute(actor, "xianjin", 30, now, applicant=company)
    petition(actor, "xianjin", 5, now, petitioner=company)
    later_dispute = dispute(actor, "xianjin", 0, now, applicant=PERSON)
    first = petition(actor, "xianjin", 3, now, petitioner=PERSON)
    Conversion.objects.all().delete()  # linked when registered, before the test dated it back
    link_petitions([first.pk])
    assert not Conversion.objects.filter(dispute=later_dispute).exists()
    assert not Conversion.objects.exists()


def test_s30_an_accusation_withheld_from_a_unit_is_never_linked(demo):
    now, actor = timezone.now(), demo["zhuji_supervisor"]
    dispute(actor, "xianjin", 30, now, applicant=PERSON)
    later = petition(actor, "xianjin", 1, now, petitioner=PERSON)
    Conversion.objects.all().delete()
    Case.objects.filter(pk=later.pk).update(withheld_from_unit=demo["xianjin_mediator"].unit)
    assert link_petitions([later.pk]) == 0


def test_both_case_pages_show_the_link_to_those_who_see_the_other_case(demo, client):
    now, actor = timezone.now(), demo["zhuji_supervisor"]
    earlier = dispute(actor, "xianjin", 30, now, applicant=PERSON)
    later = petition(actor, "yangchun", 1, now, petitioner=PERSON)
    client.force_login(actor)
    page = client.get(reverse("disputes:detail", args=[earlier.pk])).content.decode()
    assert 'id="conversions"' in page and later.number in page
    page = client.get(reverse("petitions:detail", args=[later.pk])).content.decode()
    assert 'id="conversions"' in page and earlier.number in page
    # 先进村 sees its dispute but not 阳春村's petition: no section, no number.
    client.force_login(demo["xianjin_supervisor"])
    page = client.get(reverse("disputes:detail", args=[earlier.pk])).content.decode()
    assert 'id="conversions"' not in page and later.number not in page


def test_the_conversion_figure_counts_the_rows_within_the_window(demo):
    now, actor = timezone.now(), demo["zhuji_supervisor"]
    near = dispute(actor, "xianjin", 30, now, applicant=PERSON)
    far = dispute(actor, "xianjin", 300, now, applicant=PERSON)
    as_respondent = dispute(actor, "xianjin", 20, now, respondent=PERSON)
    untouched = dispute(actor, "xianjin", 25, now)
    petition(actor, "xianjin", 1, now, petitioner=PERSON)
    assert Conversion.objects.count() == 3  # linked within the horizon (365 days), any role
    ids = {near.pk, far.pk, as_respondent.pk, untouched.pk}
    converted = set(Case.objects.filter(pk__in=ids).filter(converted_q(180)).values_list("pk", flat=True))
    assert converted == {near.pk}  # the applicant, within the rule's 180 days
    converted = set(Case.objects.filter(pk__in=ids).filter(converted_q(365)).values_list("pk", flat=True))
    assert converted == {near.pk, far.pk}


def test_the_backfill_command_links_old_petitions_once(demo, capsys):
    from django.core.management import call_command

    now, actor = timezone.now(), demo["zhuji_supervisor"]
    earlier = dispute(actor, "xianjin", 30, now, applicant=PERSON)
    later = petition(actor, "xianjin", 1, now, petitioner=PERSON)
    Conversion.objects.all().delete()  # registered before migration 0006
    call_command("link_conversions")
    assert "1 links written" in capsys.readouterr().out
    assert list(Conversion.objects.values_list("dispute_id", "petition_id")) == [(earlier.pk, later.pk)]
    call_command("link_conversions")
    assert "0 links written" in capsys.readouterr().out
