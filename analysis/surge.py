"""Surge: new disputes and petitions of a village, a town or a category in the last days, well above
that place's own baseline (docs/analysis.md states the method).

For each group the baseline is the number of cases opened in the ``baseline_days`` before the
window, scaled to the window's length: the mean a Poisson count would have there. The group alarms
when its count in the window reaches both the rule's minimum and the smallest count a Poisson
variable of that mean reaches with probability at most ``significance`` (so a village with one case
a year does not alarm on two). A surge is put on the smallest place that explains it: a town counts
only the cases outside its alarming villages, a category (per county) only those outside alarming
villages and towns. Only groups a new case touched since the last scan may raise (the scan is
incremental); the villages around them are read to attribute the surge.
"""

import math
from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from analysis.findings import Finding, place_names
from analysis.models import EarlyWarning, RuleKind
from cases.models import Case
from mediation.models import Dispute
from petitions.models import Petition


def poisson_bound(mean: float, significance: float) -> int:
    """The smallest k with P(X >= k) <= significance for X ~ Poisson(mean)."""
    if mean <= 0:
        return 1
    k, cdf = 0, 0.0
    while True:
        cdf += math.exp(k * math.log(mean) - mean - math.lgamma(k + 1))
        if 1.0 - cdf <= significance:
            return k + 1
        k += 1


def _village(code: str) -> str | None:
    return code if code[9:] != "000" else None


def _town(code: str) -> str | None:
    return code[:9].ljust(12, "0") if code[6:9] != "000" else None


def _counts(counties, start_base, start_window, now):
    """(region code, category key) -> [in window, in baseline], both case types, in two queries."""
    rows = defaultdict(lambda: [0, 0])
    in_counties = Q()
    for county in counties:
        in_counties |= Q(region__code__startswith=county)
    for model, kind in ((Dispute, "dispute"), (Petition, "petition")):
        grouped = (
            model.objects.filter(in_counties, opened_at__gte=start_base, opened_at__lte=now,
                                 withheld_from_unit__isnull=True)
            .values("region_id", "category__code")
            .annotate(recent=Count("pk", filter=Q(opened_at__gte=start_window)),
                      base=Count("pk", filter=Q(opened_at__lt=start_window)))
        )  # fmt: skip
        for row in grouped:
            cell = rows[(row["region_id"], f"{kind}:{row['category__code']}")]
            cell[0] += row["recent"]
            cell[1] += row["base"]
    return rows


class _Judge:
    def __init__(self, rule):
        self.rule = rule
        self.scale = rule.window_days / rule.baseline_days
        self.significance = float(rule.significance)

    def alarm(self, recent: int, base: int) -> dict | None:
        mean = base * self.scale
        bound = max(self.rule.min_count, poisson_bound(mean, self.significance))
        if recent < bound:
            return None
        return {
            "count": recent,
            "baseline": round(mean, 2),
            "bound": bound,
            "window_days": self.rule.window_days,
        }


def find(rule, changed, now) -> list[Finding]:
    """The surges of groups touched by the ``changed`` cases (a queryset of Case)."""
    touched = set(changed.values_list("region_id", flat=True).distinct())
    if not touched:
        return []
    start_window = now - timedelta(days=rule.window_days)
    start_base = start_window - timedelta(days=rule.baseline_days)
    rows = _counts({c[:6] for c in touched}, start_base, start_window, now)
    judge = _Judge(rule)
    sums = {"village": defaultdict(lambda: [0, 0]), "town": defaultdict(lambda: [0, 0])}
    for (code, _cat), (recent, base) in rows.items():
        if _village(code):
            sums["village"][code][0] += recent
            sums["village"][code][1] += base
    alarms = {}  # (level key, group) -> facts
    for code, (recent, base) in sums["village"].items():
        if facts := judge.alarm(recent, base):
            alarms[("village", code)] = facts
    # A place whose surge was warned about within this window (by the other window's rule, earlier
    # in this scan or before; open or closed since) explains its own cases too: the town above does
    # not alarm on them again.
    open_keys = set(
        EarlyWarning.objects.filter(kind=RuleKind.SURGE, raised_at__gte=start_window).values_list(
            "pattern_key", flat=True
        )
    )
    explained = {code for (_lv, code) in alarms} | {
        k.split(":")[2] for k in open_keys if k.startswith("surge:village:")
    }
    for (code, _cat), (recent, base) in rows.items():
        if _town(code) and code not in explained:
            cell = sums["town"][_town(code)]
            cell[0] += recent
            cell[1] += base
    for town, (recent, base) in sums["town"].items():
        if facts := judge.alarm(recent, base):
            alarms[("town", town)] = facts
    alarming_towns = {code[:9] for (lv, code) in alarms if lv == "town"}
    alarming_towns |= {k.split(":")[2][:9] for k in open_keys if k.startswith("surge:town:")}
    categories = defaultdict(lambda: [0, 0])
    for (code, cat), (recent, base) in rows.items():
        if code not in explained and code[:9] not in alarming_towns:
            cell = categories[(code[:6], cat)]
            cell[0] += recent
            cell[1] += base
    for group, (recent, base) in categories.items():
        if facts := judge.alarm(recent, base):
            alarms[("category", group)] = facts
    touched_towns = {_town(c) for c in touched}
    touched_categories = _touched_categories(changed)
    wanted = {
        key: facts for key, facts in alarms.items()
        if (key[0] == "village" and key[1] in touched) or (key[0] == "town" and key[1] in touched_towns)
        or (key[0] == "category" and key[1] in touched_categories)
    }  # fmt: skip
    return _findings(rule, wanted, explained, alarming_towns, start_window, now)


def _touched_categories(changed) -> set[tuple[str, str]]:
    found = set()
    for model, kind in ((Dispute, "dispute"), (Petition, "petition")):
        pairs = (
            model.objects.filter(pk__in=changed.values("pk"))
            .values_list("region_id", "category__code")
            .distinct()
        )
        found |= {(code[:6], f"{kind}:{cat}") for code, cat in pairs}
    return found


def _category_names() -> dict[str, str]:
    from mediation.models import DisputeCategory
    from petitions.models import PetitionCategory

    names = {f"dispute:{c.code}": str(c) for c in DisputeCategory.objects.all()}
    names.update({f"petition:{c.code}": str(c) for c in PetitionCategory.objects.all()})
    return names


def _findings(rule, alarms, explained, alarming_towns, start_window, now) -> list[Finding]:
    codes = {key[1] if key[0] != "category" else key[1][0].ljust(12, "0") for key in alarms}
    names = place_names(codes) if codes else {}
    categories = _category_names() if any(k[0] == "category" for k in alarms) else {}
    findings = []
    for (level_key, group), facts in sorted(alarms.items()):
        recent = Case.objects.filter(
            opened_at__gte=start_window, opened_at__lte=now, withheld_from_unit__isnull=True
        )
        if level_key == "category":
            county, cat = group
            kind, code = cat.split(":", 1)
            model = Dispute if kind == "dispute" else Petition
            recent = model.objects.filter(opened_at__gte=start_window, opened_at__lte=now,
                                          withheld_from_unit__isnull=True, category__code=code,
                                          region__code__startswith=county)  # fmt: skip
            for code_ in explained:
                recent = recent.exclude(region_id=code_)
            for town in alarming_towns:
                recent = recent.exclude(region__code__startswith=town)
            region_code, place = (
                county.ljust(12, "0"),
                f"{names[county.ljust(12, '0')]} {categories.get(cat, cat)}",
            )
        elif level_key == "town":
            recent = recent.filter(region__code__startswith=group[:9]).exclude(region_id__in=explained)
            region_code, place = group, names[group]
        else:
            recent = recent.filter(region_id=group)
            region_code, place = group, names[group]
        ids = list(recent.values_list("pk", flat=True))
        newest = Case.objects.filter(pk__in=ids).aggregate(t=Max("created_at"))["t"] or now
        facts = {**facts, "level": level_key}
        title = _("Surge in %(place)s: %(count)s new cases in %(days)s days") % {
            "place": place, "count": facts["count"], "days": rule.window_days,
        }  # fmt: skip
        summary = _(
            "%(count)s disputes and petitions were opened in %(place)s in the last %(days)s days; its own "
            "baseline is %(baseline)s for such a period, and more than %(bound)s would be unusual."
        ) % {"count": facts["count"], "place": place, "days": rule.window_days,
             "baseline": facts["baseline"], "bound": facts["bound"] - 1}  # fmt: skip
        key_group = "/".join(group) if level_key == "category" else group
        findings.append(Finding(
            rule=rule, key=f"surge:{level_key}:{key_group}", region_code=region_code,
            level=rule.responsible_level, title=title, summary=summary, facts=facts, case_ids=ids,
            evidence_until=newest,
        ))  # fmt: skip
    return findings
