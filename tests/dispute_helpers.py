"""Shared builders for dispute tests."""

import datetime

from django.utils import timezone

from accounts.demo import VILLAGES
from accounts.models import Region
from cases.models import PartyRole
from mediation.models import DisputeCategory, DisputeSource, RiskLevel
from mediation.workflow import register_dispute


def new_dispute(actor, village="xianjin", summary="邻里排水沟纠纷", **extra):
    applicant = {"name": "张三明", "id_number": "11010519491231002X", "phone": "13800138000"}
    respondent = {"name": "李四", "phone": "13900139000"}
    fields = dict(
        region=Region.objects.get(code=VILLAGES[village]),
        summary=summary,
        source=DisputeSource.WALK_IN,
        category=DisputeCategory.objects.get(code="neighbour"),
        risk_level=RiskLevel.objects.get(code="yellow"),
        place="村东排水沟",
        facts="雨季排水沟堵塞，双方互相指责。",
    )
    fields.update(extra)
    return register_dispute(
        actor, parties=[(applicant, PartyRole.APPLICANT), (respondent, PartyRole.RESPONDENT)], **fields
    )


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def archived(dispute, actor):
    """Decline and archive a fresh dispute: its closure report exists once it is archived (the
    archive step's ``documents``), so tests that read that PDF close the file first."""
    from mediation import workflow

    workflow.decline(dispute.pk, actor, "不属于人民调解受理范围")
    workflow.archive(dispute.pk, actor)
    return dispute
