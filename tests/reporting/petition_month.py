"""A fixture month (October 2026 in 诸暨市) whose petition statistics are known by hand.

Rows are written directly, with explicit dates, so the figures do not depend on today; the
workflow tests prove the workflow writes these same fields. Each petition's comment says what it
should count as; the expected tables in test_petition_stats.py follow from them.
"""

import datetime

from django.utils import timezone

from cases.deadlines import refresh_next_due
from cases.models import CaseKind, Deadline, DeadlineRule, DeadlineState
from petitions.models import Evaluation, Petition, PetitionCategory, VisitBatch

FENGQIAO_XIANJIN, FENGQIAO_YANGCHUN = "330681109219", "330681109241"
JIYANG_JIANGDONG, JIYANG_HUANSHA = "330681001001", "330681001005"
COUNTY = "330681000000"
FENGQIAO, JIYANG = "330681109", "330681001"


def d(month, day, year=2026):
    return datetime.date(year, month, day)


def at(month, day, year=2026, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def petition(number, region, channel, kind, category, received, *, status="registered", **fields):
    return Petition.objects.create(
        kind=CaseKind.PETITION,
        number=number,
        summary=f"统计样例{number}",
        region_id=region,
        status=status,
        opened_at=at(received.month, received.day, received.year),
        channel=channel,
        petition_kind=kind,
        category=PetitionCategory.objects.get(code=category),
        content="样例",
        received_on=received,
        **fields,
    )


def deadline(case, code, start, due, met=None, on_time=None, state=None):
    return Deadline.objects.create(
        case=case,
        rule=DeadlineRule.objects.get(code=code, region_prefix=""),
        start_date=start,
        due_date=due,
        due_at=timezone.make_aware(datetime.datetime.combine(due, datetime.time(23, 59))),
        state=state or (DeadlineState.MET if met else DeadlineState.OPEN),
        met_at=met,
        met_on_time=on_time,
    )


def build():
    p = {}
    # 枫桥镇
    p["P0"] = petition(
        "XF-P0",
        FENGQIAO_YANGCHUN,
        "letter",
        "claim",
        "wage_arrears",
        d(9, 10),
        status="replied",
        accepted_on=d(9, 12),
        replied_on=d(9, 30),
    )  # September only
    Evaluation.objects.create(petition=p["P0"], value="basically", given_on=d(10, 2), way="电话")
    p["P1"] = petition(
        "XF-P1",
        FENGQIAO_XIANJIN,
        "letter",
        "claim",
        "wage_arrears",
        d(10, 5),
        status="accepted",
        accepted_on=d(10, 10),
    )  # accepted, in progress
    deadline(p["P1"], "petition_notice", d(10, 5), d(10, 20), met=at(10, 10), on_time=True)
    deadline(p["P1"], "petition_handle", d(10, 10), d(12, 9))
    p["P2"] = petition(
        "XF-P2",
        FENGQIAO_XIANJIN,
        "visit",
        "claim",
        "expropriation",
        d(10, 8),
        status="replied",
        is_collective=True,
        accepted_on=d(10, 9),
        replied_on=d(10, 28),
    )
    VisitBatch.objects.create(petition=p["P2"], visited_on=d(10, 8), head_count=6)
    VisitBatch.objects.create(petition=p["P2"], visited_on=d(10, 20), head_count=5)
    deadline(p["P2"], "petition_notice", d(10, 8), d(10, 23), met=at(10, 9), on_time=True)
    deadline(p["P2"], "petition_handle", d(10, 9), d(10, 25), met=at(10, 28), on_time=False)  # late
    Evaluation.objects.create(petition=p["P2"], value="satisfied", given_on=d(10, 30), way="短信")
    p["P3"] = petition(
        "XF-P3",
        FENGQIAO_YANGCHUN,
        "online",
        "suggestion",
        "urban_rural_construction",
        d(10, 15),
        status="not_accepted",
        repeat_of=p["P0"],
        closed_at=at(10, 20),
    )
    deadline(p["P3"], "petition_notice", d(10, 15), d(10, 30), met=at(10, 20), on_time=True)
    # 暨阳街道
    p["P4"] = petition("XF-P4", JIYANG_JIANGDONG, "phone", "accusation", "political_legal", d(10, 20))
    deadline(p["P4"], "petition_route", d(10, 12), d(10, 27))  # never routed: overdue
    p["P5"] = petition(
        "XF-P5", JIYANG_HUANSHA, "visit", "claim", "social_insurance", d(10, 30), is_skip_level=True
    )  # 越级 (§19): counted as skip-level
    VisitBatch.objects.create(petition=p["P5"], visited_on=d(10, 30), head_count=2)
    deadline(p["P5"], "petition_route", d(10, 30), d(11, 30))
    p["P6"] = petition(
        "XF-P6",
        JIYANG_HUANSHA,
        "upper_referral",
        "claim",
        "wage_arrears",
        d(8, 1),
        status="accepted",
        accepted_on=d(8, 5),
    )  # handling limit passed on 4 October
    deadline(p["P6"], "petition_handle", d(8, 5), d(10, 4))
    p["P7"] = petition(
        "XF-P7",
        JIYANG_JIANGDONG,
        "letter",
        "claim",
        "wage_arrears",
        d(10, 2),
        status="replied",
        accepted_on=d(10, 3),
        replied_on=d(10, 12),
    )
    deadline(p["P7"], "petition_notice", d(10, 2), d(10, 17), met=at(10, 3), on_time=True)
    deadline(p["P7"], "petition_handle", d(10, 3), d(12, 1), met=at(10, 12), on_time=True)
    deadline(p["P7"], "petition_route", d(10, 2), d(10, 17), state=DeadlineState.CANCELLED)
    Evaluation.objects.create(petition=p["P7"], value="dissatisfied", given_on=d(10, 15), way="当面")
    # 诸暨市本级
    p["P8"] = petition(
        "XF-P8",
        COUNTY,
        "leader_mailbox",
        "suggestion",
        "other",
        d(10, 10),
        status="diverted",
        route="legal",
        closed_at=at(10, 11),
    )
    # Closed as "met on time" by diverting, before the workflow ended such limits as not applicable:
    # no handling opinion, so neither due nor on time (按期办结 counts concluded matters only).
    deadline(p["P8"], "petition_handle", d(8, 20), d(10, 19), met=at(10, 11), on_time=True)
    # 复核 revoked the opinion and finalised the matter; the original unit owes its follow-up
    # (信访工作条例 §36, petitions.followup). Received and concluded long before October, so they
    # count in no other figure.
    p["P10"] = petition(
        "XF-P10", FENGQIAO_YANGCHUN, "letter", "claim", "wage_arrears", d(12, 1, 2025), status="finalized",
        accepted_on=d(12, 5, 2025), replied_on=d(1, 10), closed_at=at(3, 1),
    )  # fmt: skip
    # Closed more than 200 days before October, never reported: overdue at the end of October.
    deadline(p["P10"], "petition_review_followup", d(3, 1), d(4, 30))
    p["P11"] = petition(
        "XF-P11", FENGQIAO_YANGCHUN, "letter", "claim", "wage_arrears", d(12, 1, 2025), status="finalized",
        accepted_on=d(12, 5, 2025), replied_on=d(1, 10), closed_at=at(8, 11),
    )  # fmt: skip
    # Due on 10 October, reported (report_followup) late on 20 October: not overdue at the period's end.
    deadline(p["P11"], "petition_review_followup", d(8, 11), d(10, 10), met=at(10, 20), on_time=False)
    # A year earlier
    p["P9"] = petition("XF-P9", FENGQIAO_XIANJIN, "letter", "claim", "wage_arrears", d(10, 15, 2025))
    for case in p.values():
        if case.closed_at is None or case.status == "finalized":
            refresh_next_due(case)  # what the dashboard and lists read
    return p
