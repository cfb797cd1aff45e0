"""信访工作条例 §30: accusation material never reaches the accused unit. A warning is seen by the
units of its place, so no pattern is built on a withheld case: it would tell the accused unit that
the accusation exists."""

import pytest

from analysis import scan
from analysis.models import EarlyWarning
from cases.models import Case
from tests.analysis.planted import REPEATER, petition
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def test_s30_no_warning_is_built_on_a_case_withheld_from_a_unit(demo):
    from django.utils import timezone

    clerk = demo["zhuji_supervisor"]
    now = timezone.now()
    cases = [petition(clerk, "huansha", days, now, petitioner=REPEATER) for days in (1, 2, 3)]
    accused = demo["huansha_supervisor"].unit
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(withheld_from_unit=accused)
    new_dispute(clerk, village="yangchun")  # something else changed too
    scan.scan()
    assert not EarlyWarning.objects.filter(kind="repeat_person").exists()
