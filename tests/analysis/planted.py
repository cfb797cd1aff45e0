"""A county with planted patterns for the warning scan, and a noisy village that must raise nothing.

  阳春村 (yangchun)   a surge: 6 new disputes in the last 5 days against 2 in the year before
  浣纱社区 (huansha)  a repeat person: one ID number brings 3 disputes in 4 months
  浣纱社区            a dispute turned petition: a dispute 40 days ago, a petition of the same
                      person 5 days ago
  浣纱社区            a finalised petitioner comes again: a petition finalised 200 days ago, a
                      new one of the same person 2 days ago
  先进村 (xianjin)    a red-risk dispute registered 30 hours ago and never answered (red: 24 h);
                      beside it a red one answered in time and an orange one still within 72 h
  暨阳街道 (jiyang)   a collective respondent: one company, labour disputes by 5 different people
                      in 3 weeks, spread over three villages and the town of 暨阳街道
  先进村              a visit of 6 people about one petition
  江东社区 (jiangdong) noise: about one case a month all year, two in the last fortnight
  暨阳街道综治中心      an overdue cluster: 6 of its cases past due now, against 1 a day over the
                      last 10 counted days (every other unit: none)
  江东社区综治中心      an overdue rate jump: 5 of its 6 open cases past due now (83 %), against 2 of
                      20 (10 %) a day over the last 10 counted days; its count (5) is within its
                      own Poisson bound (8 at a mean of 2), so only the rate rule sees it

Every party is a different person unless the pattern says otherwise. Cases are registered through
the workflows and then dated back (``opened_at``); all of them were created now, so the first scan
reads them all.
"""

import datetime
from itertools import count

from django.utils import timezone

from accounts.demo import TOWNS, VILLAGES
from accounts.models import Region, Unit
from analysis.models import OverdueCount, OverdueDay
from cases.models import Case, PartyRole
from mediation.models import DisputeCategory, DisputeSource, RiskLevel
from mediation.workflow import accept, register_dispute
from petitions.models import PetitionCategory
from petitions.workflow import register_petition

REPEATER = {"name": "周重复", "id_number": "11010519491231002X", "phone": "13800138000"}
CONVERTED = {"name": "吴转访", "phone": "13600136000"}
RETURNING = {"name": "郑终结", "phone": "13500135000"}
COMPANY = {"name": "诸暨市宏达建筑有限公司", "phone": "057587011111", "is_organisation": True}
_serial = count(1)


def someone():
    n = next(_serial)
    return {"name": f"路人{n}号", "phone": f"1390000{n:04d}"}


def dated(case, days_ago: float, now):
    Case.objects.filter(pk=case.pk).update(opened_at=now - datetime.timedelta(days=days_ago))
    return case


def dispute(
    actor, place, days_ago, now, *, applicant=None, respondent=None, category="neighbour", risk="yellow"
):
    code = VILLAGES.get(place) or TOWNS[place]
    case = register_dispute(
        actor,
        parties=[(applicant or someone(), PartyRole.APPLICANT), (respondent or someone(), PartyRole.RESPONDENT)],
        region=Region.objects.get(code=code), summary=f"{place}纠纷", source=DisputeSource.WALK_IN,
        category=DisputeCategory.objects.get(code=category), risk_level=RiskLevel.objects.get(code=risk),
        place="村里", facts="事实",
    )  # fmt: skip
    return dated(case, days_ago, now)


def petition(actor, place, days_ago, now, *, petitioner=None, head_count=1, channel="letter"):
    case = register_petition(
        actor, petitioners=[petitioner or someone()], region=Region.objects.get(code=VILLAGES[place]),
        summary=f"{place}信访", channel=channel, petition_kind="claim",
        category=PetitionCategory.objects.get(code="wage_arrears"),
        content="内容", demands="诉求", received_on=timezone.localdate(),
        head_count=head_count, visited_on=timezone.localdate() if channel == "visit" else None,
    )  # fmt: skip
    return dated(case, days_ago, now)


def plant(demo, now=None) -> dict:
    """Build the county; returns the planted objects by name."""
    now = now or timezone.now()
    root = demo["zhuji_supervisor"]
    planted = {}
    # Noise: one case a month in 江东社区 all year, two of them in the last fortnight.
    for days in (3, 12, *range(45, 365, 30)):
        dispute(root, "jiangdong", days, now)
    # The surge: 2 cases in the year before, 6 in the last 5 days.
    for days in (100, 200):
        dispute(root, "yangchun", days, now)
    planted["surge"] = [dispute(root, "yangchun", d, now) for d in (0.5, 1, 2, 3, 4, 5)]
    # The repeat person: two disputes and a petition in four months.
    planted["repeat"] = [
        dispute(root, "huansha", 100, now, applicant=REPEATER),
        dispute(root, "huansha", 60, now, applicant=REPEATER),
        dispute(root, "huansha", 35, now, applicant=REPEATER),
    ]
    # The dispute turned petition.
    dispute(root, "huansha", 40, now, applicant=CONVERTED)
    planted["conversion"] = petition(root, "huansha", 5, now, petitioner=CONVERTED)
    # The finalised petitioner who comes again.
    old = petition(root, "huansha", 200, now, petitioner=RETURNING)
    Case.objects.filter(pk=old.pk).update(status="finalized", closed_at=now - datetime.timedelta(days=150))
    planted["returning"] = petition(root, "huansha", 2, now, petitioner=RETURNING)
    # The red-risk dispute left unanswered, and two that are not late.
    planted["red"] = dispute(root, "xianjin", 30 / 24, now, risk="red", category="contract")
    answered = dispute(root, "xianjin", 40 / 24, now, risk="red", category="contract")
    accept(answered.pk, root)
    dispute(root, "xianjin", 10 / 24, now, risk="orange", category="contract")
    # The collective respondent: five people, one company, in three weeks.
    places = ("jiangdong", "jiangdong", "huansha", "yangchun", "jiyang")
    planted["collective"] = [
        dispute(root, place, 20 + i, now, respondent=COMPANY, category="labour")
        for i, place in enumerate(places)
    ]
    # A visit of 6 people.
    planted["visit"] = petition(root, "xianjin", 0.2, now, channel="visit", head_count=6)
    # The overdue cluster: the town centre of 暨阳街道 now has 6 cases past due, 1 a day before.
    centre = Unit.objects.get(name="暨阳街道综治中心")
    late = [*planted["collective"], *planted["surge"][:1]]
    Case.objects.filter(pk__in=[c.pk for c in late]).update(
        handling_unit=centre, next_due_at=now - datetime.timedelta(days=1)
    )
    for days in range(1, 11):
        day = OverdueDay.objects.create(
            day=timezone.localdate(now) - datetime.timedelta(days=days), taken_at=now
        )
        OverdueCount.objects.create(day=day, unit=centre, overdue=1)
    planted["overdue_unit"] = centre
    # The overdue rate: 江东社区's centre holds six of the noise cases, five of them past due.
    jiangdong = Unit.objects.get(name="江东社区综治中心")
    noise = list(
        Case.objects.filter(region_id=VILLAGES["jiangdong"], closed_at__isnull=True).order_by("pk")[:6]
    )
    Case.objects.filter(pk__in=[c.pk for c in noise]).update(handling_unit=jiangdong)
    Case.objects.filter(pk__in=[c.pk for c in noise[:5]]).update(
        next_due_at=now - datetime.timedelta(hours=5)
    )
    Case.objects.filter(pk=noise[5].pk).update(next_due_at=now + datetime.timedelta(days=5))
    for day in OverdueDay.objects.all():
        OverdueCount.objects.create(day=day, unit=jiangdong, overdue=2, open_cases=20)
    planted["rate_unit"] = jiangdong
    return planted
