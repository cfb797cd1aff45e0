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


# The intake's party rows (mediation.forms.IntakePartyFormSet, prefix "parties"): the old flat names
# "applicant_name", "respondent_phone" … map to the first and second row.
PARTY_ROWS = {"applicant": 0, "respondent": 1}


def intake_key(key: str) -> str:
    """The POST name of an intake field: "applicant_phone" -> "parties-0-phone"; others unchanged."""
    who, _sep, field = key.partition("_")
    if who in PARTY_ROWS and field:
        return f"parties-{PARTY_ROWS[who]}-{field}"
    return key


def intake_post(data: dict, rows: int = 3) -> dict:
    """A dispute intake POST from flat applicant_*/respondent_* keys: the party rows with their
    roles and the formset's management form (further rows may be given as parties-N-… keys)."""
    post = {intake_key(k): v for k, v in data.items()}
    post.setdefault("parties-0-role", "applicant")
    post.setdefault("parties-1-role", "respondent")
    used = [int(k.split("-")[1]) for k in post if k.startswith("parties-") and k.split("-")[1].isdigit()]
    total = max(rows, max(used, default=0) + 1)
    post.update({"parties-TOTAL_FORMS": str(total), "parties-INITIAL_FORMS": "0",
                 "parties-MIN_NUM_FORMS": "0", "parties-MAX_NUM_FORMS": "50"})  # fmt: skip
    return post


def plain_intake_post() -> dict:
    """A whole dispute intake POST (a neighbours' quarrel in 先进村, applicant and respondent by name
    and phone, every other field empty): the base the hostile suites send their payloads through."""
    base = {
        "region": VILLAGES["xianjin"], "summary": "邻里纠纷", "source": "walk_in",
        "category": DisputeCategory.objects.get(code="neighbour").pk,
        "risk_level": RiskLevel.objects.get(code="yellow").pk, "place": "", "facts": "排水沟堵塞",
        "amount": "", "people_involved": "2",
        "applicant_name": "张三明", "applicant_phone": "13800138001", "applicant_address": "",
        "applicant_id_number": "", "applicant_credit_code": "", "applicant_gender": "",
        "respondent_name": "李四", "respondent_phone": "13900139002", "respondent_address": "",
        "respondent_id_number": "", "respondent_credit_code": "", "respondent_gender": "",
    }  # fmt: skip
    return intake_post(base)


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def archived(dispute, actor):
    """Decline and archive a fresh dispute: its closure report exists once it is archived (the
    archive step's ``documents``), so tests that read that PDF close the file first."""
    from mediation import workflow

    workflow.decline(dispute.pk, actor, "不属于人民调解受理范围")
    workflow.archive(dispute.pk, actor)
    return dispute
