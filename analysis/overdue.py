"""Overdue clusters (rule 5 of issue 18): a unit whose open overdue cases jump above its own recent
days (docs/analysis.md).

The first scan of each day counts every unit's open overdue cases (a case still open past its next
due time, as the dashboard counts them) into ``OverdueCount`` rows; a unit with none has no row and
counts 0. A unit alarms when its count now reaches both the rule's minimum and the Poisson bound
(analysis.surge.poisson_bound) at the mean of its counts over the counted days of the last
``window_days`` — and only once at least half of those days were counted, so a new installation
does not alarm on its first day. Like the risk rule it is about time passing, not about new cases:
it reads the open cases past due, through the partial index the dashboard uses.
"""

from datetime import timedelta

from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit
from analysis.findings import Finding
from analysis.models import OverdueCount, OverdueDay
from analysis.surge import poisson_bound
from cases.models import Case

EVIDENCE_CAP = 200


def _overdue(now):
    # §30: as for every rule, no case withheld from a unit counts (analysis.models).
    return Case.objects.filter(
        closed_at__isnull=True,
        next_due_at__lt=now,
        handling_unit__isnull=False,
        withheld_from_unit__isnull=True,
    )


def count_today(now) -> dict[int, int]:
    """Unit id -> open overdue cases now, stored once for today (the first scan of the day)."""
    counts = dict(_overdue(now).values_list("handling_unit_id").annotate(n=Count("pk")).order_by())
    day, created = OverdueDay.objects.get_or_create(day=timezone.localdate(now), defaults={"taken_at": now})
    if created:
        OverdueCount.objects.bulk_create(
            OverdueCount(day=day, unit_id=u, overdue=n) for u, n in counts.items()
        )
    return counts


def find(rule, now) -> list[Finding]:
    today = timezone.localdate(now)
    counts = count_today(now)
    days = list(
        OverdueDay.objects.filter(
            day__lt=today, day__gte=today - timedelta(days=rule.window_days)
        ).values_list("pk", flat=True)
    )
    if len(days) * 2 < rule.window_days:
        return []
    past = dict(
        OverdueCount.objects.filter(day_id__in=days, unit_id__in=list(counts))
        .values_list("unit_id")
        .annotate(total=Sum("overdue"))
        .order_by()
    )
    significance = float(rule.significance)
    alarms = {}
    for unit_id, now_count in counts.items():
        mean = past.get(unit_id, 0) / len(days)
        bound = max(rule.min_count, poisson_bound(mean, significance))
        if now_count >= bound:
            alarms[unit_id] = {
                "count": now_count,
                "baseline": round(mean, 2),
                "bound": bound,
                "days": len(days),
            }
    units = Unit.objects.in_bulk(list(alarms))
    findings = []
    for unit_id, facts in sorted(alarms.items()):
        unit = units[unit_id]
        late = _overdue(now).filter(handling_unit_id=unit_id)
        ids = list(late.order_by("next_due_at").values_list("pk", flat=True)[:EVIDENCE_CAP])
        newest = late.aggregate(t=Max("next_due_at"))["t"]
        facts = {**facts, "unit": unit.name}
        findings.append(Finding(
            rule=rule, key=f"overdue:{unit_id}", region_code=unit.region_id, level=rule.responsible_level,
            title=_("%(unit)s: %(count)s cases overdue") % facts,
            summary=_("%(unit)s has %(count)s open cases past their time limit; over the last "
                      "%(days)s counted days it had %(baseline)s on average, and %(bound)s or more is "
                      "unusual.") % facts,
            facts=facts, case_ids=ids, evidence_until=newest,
        ))  # fmt: skip
    return findings
