"""Rule 2 of issue 18 beyond the repeat count: a dispute turned petition, and a finalised petitioner
who comes again (analysis.patterns.conversion, .returning)."""

import datetime

import pytest
from django.utils import timezone

from analysis import scan
from analysis.models import EarlyWarning
from cases.models import Case
from tests.analysis.planted import dispute, petition

pytestmark = pytest.mark.django_db
PERSON = {"name": "冯来访", "phone": "13300133000"}


def test_a_dispute_followed_by_a_petition_of_the_same_person_links_the_two(demo):
    now, actor = timezone.now(), demo["zhuji_supervisor"]
    earlier = dispute(actor, "xianjin", 30, now, applicant=PERSON)
    later = petition(actor, "yangchun", 1, now, petitioner=PERSON)
    scan.scan()
    warning = EarlyWarning.objects.get(kind="conversion")
    assert set(warning.evidence.values_list("pk", flat=True)) == {earlier.pk, later.pk}
    assert warning.region_id == "330681109000"  # two villages of 枫桥镇: the town


def test_a_petition_whose_dispute_is_older_than_the_window_is_no_conversion(demo):
    now, actor = timezone.now(), demo["zhuji_supervisor"]
    dispute(actor, "xianjin", 300, now, applicant=PERSON)
    petition(actor, "xianjin", 1, now, petitioner=PERSON)
    scan.scan()
    assert not EarlyWarning.objects.filter(kind="conversion").exists()


def test_s36_a_finalised_petitioner_who_comes_again_raises_a_warning(demo):
    now, actor = timezone.now(), demo["zhuji_supervisor"]
    old = petition(actor, "xianjin", 400, now, petitioner=PERSON)
    petition(actor, "xianjin", 1, now, petitioner=PERSON)
    scan.scan()
    assert not EarlyWarning.objects.filter(kind="returning").exists()  # not finalised: nothing
    Case.objects.filter(pk=old.pk).update(status="finalized", closed_at=now - datetime.timedelta(hours=12))
    again = petition(actor, "xianjin", 0.1, now, petitioner=PERSON)
    scan.scan()
    # Only the petition opened after the finalisation comes "again".
    warning = EarlyWarning.objects.get(kind="returning")
    assert warning.pattern_key == f"returning:{again.pk}" and "第三十六条" in warning.summary
