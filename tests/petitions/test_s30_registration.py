"""信访工作条例 §30: an accusation (检举控告) is never passed to the unit it accuses. When the accused
unit is the one registering it (and so the one that would handle it), the case goes at registration
to the competent unit one level up, is withheld from the accused unit, and the timeline and the
clerk are told so."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import COUNTY, VILLAGES
from accounts.models import Unit, UnitKind
from accounts.scoping import visible_cases
from cases.models import TimelineEntry
from cases.transitions import TransitionError
from petitions.models import Petition, PetitionCategory
from petitions.workflow import competent_unit_above
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db


def accusation(clerk, accused, region=VILLAGES["xianjin"]):
    return new_petition(
        clerk, kind="accusation", region=region, complained_unit=accused,
        category="discipline_supervision", summary="举报村干部优亲厚友",
    )  # fmt: skip


def test_s30_accusation_against_the_registering_village_centre_goes_to_the_town_centre(demo):
    clerk = demo["xianjin_petition_clerk"]
    village_centre = clerk.unit
    p = accusation(clerk, village_centre)
    assert p.handling_unit == demo["fengqiao_supervisor"].unit  # 枫桥镇综治中心
    assert p.withheld_from_unit == village_centre
    # Nobody in the accused unit sees it, the clerk who registered it included; the town does.
    for user in village_centre.members.all():
        assert not visible_cases(user, Petition.objects.filter(pk=p.pk)).exists(), user.username
    assert visible_cases(demo["fengqiao_supervisor"], Petition.objects.filter(pk=p.pk)).exists()
    # The village 调委会 is another unit and keeps seeing its region's case.
    assert visible_cases(demo["xianjin_mediator"], Petition.objects.filter(pk=p.pk)).exists()


def test_s30_the_timeline_says_the_accusation_was_passed_up_and_why(demo):
    clerk = demo["xianjin_petition_clerk"]
    p = accusation(clerk, clerk.unit)
    entry = TimelineEntry.objects.get(case_id=p.pk, action="pass_up")
    assert "第三十条" in entry.description and "枫桥镇综治中心" in entry.description
    assert entry.after == {"unit": "枫桥镇综治中心"}


def test_s30_accusation_against_a_town_centre_goes_to_the_county_petition_bureau(demo):
    clerk = demo["fengqiao_petition_clerk"]  # sits in 枫桥镇综治中心
    p = accusation(clerk, clerk.unit, region=VILLAGES["yangchun"])
    assert p.handling_unit == Unit.objects.get(region_id=COUNTY, kind=UnitKind.PETITION_OFFICE)
    assert not visible_cases(demo["fengqiao_supervisor"], Petition.objects.filter(pk=p.pk)).exists()
    assert visible_cases(demo["zhuji_petition_clerk"], Petition.objects.filter(pk=p.pk)).exists()


def test_s30_the_county_bureau_accused_with_no_unit_above_goes_to_the_county_centre(demo):
    # The demo holds no city units: the governance centre of the same county, never the bureau.
    bureau = demo["zhuji_petition_clerk"].unit
    assert competent_unit_above(bureau) == demo["zhuji_supervisor"].unit
    Unit.objects.filter(pk=demo["zhuji_supervisor"].unit_id).update(is_active=False)
    with pytest.raises(TransitionError):
        competent_unit_above(bureau)


def test_s30_an_accusation_against_another_unit_stays_with_the_registering_unit(demo):
    clerk = demo["zhuji_petition_clerk"]
    government = demo["fengqiao_handler"].unit
    p = accusation(clerk, government, region=COUNTY)
    assert p.handling_unit == clerk.unit and p.withheld_from_unit == government
    assert not TimelineEntry.objects.filter(case_id=p.pk, action="pass_up").exists()


def test_s30_the_clerk_is_told_in_chinese_where_it_went_and_not_sent_to_a_404(client, demo):
    clerk = demo["xianjin_petition_clerk"]
    client.force_login(clerk)
    data = {
        "channel": "letter", "petition_kind": "accusation",
        "category": PetitionCategory.objects.get(code="discipline_supervision").pk,
        "region": VILLAGES["xianjin"], "received_on": timezone.localdate().isoformat(),
        "summary": "举报村干部优亲厚友", "content": "举报内容。", "demands": "", "head_count": "1",
        "complained_unit": clerk.unit_id, "name": "孙志强", "id_number": "", "phone": "13600136000",
    }  # fmt: skip
    response = client.post(reverse("petitions:create"), data)
    assert response.status_code == 302 and response["Location"] == reverse("petitions:list")
    page = client.get(response["Location"])
    assert page.status_code == 200
    shown = page.content.decode()
    assert "第三十条" in shown and "枫桥镇综治中心" in shown
    p = Petition.objects.get()
    # The list shows a message, not the case; its page is refused like any case the unit may not see.
    assert p.number not in shown
    assert client.get(reverse("petitions:detail", args=[p.pk])).status_code == 404


def test_s30_import_refuses_accusations_so_none_can_reach_its_accused_unit(demo):
    from petitions.imports import PetitionImporter

    importer = PetitionImporter()
    errors = []
    choices = importer.clean_choices(
        {"channel": "来信", "petition_kind": "检举控告"},
        importer.context([], demo["xianjin_petition_clerk"]),
        errors,
    )
    assert choices["petition_kind"] is None and errors
