"""A warning raised directly from a finding, for tests of the lifecycle and of who sees what."""

from django.utils import timezone

from accounts.demo import VILLAGES
from analysis.findings import Finding
from analysis.models import WarningRule
from analysis.workflow import raise_warning


def new_warning(village="yangchun", *, key=None, cases=(), rule="surge_week", level=3):
    code = VILLAGES[village]
    return raise_warning(
        Finding(
            rule=WarningRule.objects.get(code=rule), key=key or f"surge:village:{code}", region_code=code,
            level=level, title=f"{village}案件激增", summary=f"{village}近7天新增6件", facts={"count": 6},
            case_ids=[c.pk for c in cases], evidence_until=timezone.now(),
        )
    )  # fmt: skip
