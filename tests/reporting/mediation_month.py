"""A fixture month (October 2026 in 诸暨市) of disputes whose mediation statistics are known."""

import datetime
from decimal import Decimal

from django.utils import timezone

from cases.models import CaseKind
from mediation.models import Agreement, Dispute, DisputeCategory, RiskLevel
from tests.reporting.petition_month import (
    FENGQIAO_XIANJIN,
    FENGQIAO_YANGCHUN,
    JIYANG_HUANSHA,
    JIYANG_JIANGDONG,
)


def opened(month, day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, minute))


def dispute(number, region, source, status, category, people, when, **fields):
    return Dispute.objects.create(
        kind=CaseKind.DISPUTE, number=number, summary=f"纠纷样例{number}", region_id=region,
        status=status, opened_at=when, source=source, category=DisputeCategory.objects.get(code=category),
        risk_level=RiskLevel.objects.order_by("position").first(), people_involved=people, **fields,
    )  # fmt: skip


def agreement(case, form, amount, recorder, **fields):
    return Agreement.objects.create(
        dispute=case, form=form, terms="双方达成协议", amount=amount, effective_date=datetime.date(2026, 10, 20),
        recorded_by=recorder, **fields,
    )  # fmt: skip


def build(recorder):
    d = {}
    d["D1"] = dispute(
        "TJ-D1",
        FENGQIAO_XIANJIN,
        "grid_inspection",
        "archived",
        "neighbour",
        2,
        opened(10, 3),
        prevented_criminal_case=True,
    )
    agreement(
        d["D1"],
        "written",
        Decimal("20000"),
        recorder,
        performed_on=datetime.date(2026, 10, 25),
        confirmation_state="confirmed",
    )
    d["D2"] = dispute(
        "TJ-D2",
        FENGQIAO_XIANJIN,
        "application",
        "terminated",
        "marriage_family",
        3,
        opened(10, 4),
        termination_route="litigation",
    )
    d["D3"] = dispute("TJ-D3", FENGQIAO_YANGCHUN, "walk_in", "mediating", "neighbour", 4, opened(10, 5))
    d["D4"] = dispute(
        "TJ-D4", FENGQIAO_YANGCHUN, "referred_police", "declined", "neighbour", 2, opened(10, 6)
    )
    d["D5"] = dispute(
        "TJ-D5",
        JIYANG_JIANGDONG,
        "referred_court",
        "archived",
        "labour",
        5,
        opened(10, 7),
        prevented_mass_petition=True,
    )
    agreement(d["D5"], "oral", Decimal("5000.50"), recorder, confirmation_state="applied")
    d["D6"] = dispute("TJ-D6", JIYANG_HUANSHA, "phone", "registered", "labour", 2, opened(10, 8))
    d["D7"] = dispute(
        "TJ-D7", JIYANG_JIANGDONG, "grid_inspection", "agreed", "labour", 2, opened(9, 30, 23, 30)
    )
    agreement(d["D7"], "written", Decimal("100"), recorder)  # September, in Shanghai time
    d["D8"] = dispute(
        "TJ-D8", JIYANG_HUANSHA, "application", "mediating", "labour", 2, opened(10, 31, 23, 59)
    )
    return d
