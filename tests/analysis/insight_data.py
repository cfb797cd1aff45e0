"""A small planted dataset for the analysis pages, in the last full month (M), the month before it
and the same month a year before, with exact expected figures (tests/analysis/test_insight.py).

  先进村 (枫桥镇)   3 neighbour disputes in M, 2 of them against 宏达建筑, one closed after 10 days;
                   1 neighbour dispute the month before M
  阳春村 (枫桥镇)   1 labour dispute in M, closed after 4 days; 1 wage-arrears petition in M
  浣纱社区 (暨阳街道) 吴转访: a labour dispute on day 5 of M, a petition on day 12 (turned petition,
                   and a repeat case); 1 neighbour dispute in the same month a year before
"""

import datetime

from django.utils import timezone

from cases.models import Case
from reporting.periods import default_period
from tests.analysis.planted import COMPANY, CONVERTED, dispute, petition


def at(day: datetime.date, hour=12):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def on(case, day, closed=None):
    Case.objects.filter(pk=case.pk).update(opened_at=at(day), closed_at=at(closed) if closed else None)
    return case


def plant_insight(demo) -> dict:
    month = default_period()
    m, prev, ly = month.start, month.previous().start, month.year_before().start
    now = timezone.now()
    fq, jy, pc = demo["fengqiao_mediator"], demo["jiyang_mediator"], demo["zhuji_petition_clerk"]
    d = datetime.timedelta
    cases = {
        "x1": on(dispute(fq, "xianjin", 0, now, respondent=COMPANY), m + d(1), closed=m + d(11)),
        "x2": on(dispute(fq, "xianjin", 0, now, respondent=COMPANY), m + d(2)),
        "x3": on(dispute(fq, "xianjin", 0, now), m + d(3)),
        "x0": on(dispute(fq, "xianjin", 0, now), prev + d(3)),
        "y1": on(dispute(fq, "yangchun", 0, now, category="labour"), m + d(2), closed=m + d(6)),
        "y2": on(petition(pc, "yangchun", 0, now), m + d(7)),
        "h1": on(dispute(jy, "huansha", 0, now, applicant=CONVERTED, category="labour"), m + d(4)),
        "h2": on(petition(pc, "huansha", 0, now, petitioner=CONVERTED), m + d(11)),
        "h0": on(dispute(jy, "huansha", 0, now), ly + d(3)),
    }
    return {"month": month, **cases}
