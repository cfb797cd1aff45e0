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

import functools
import math
from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.findings import Finding, place_names
from analysis.models import EarlyWarning, RuleKind
from cases.models import Case, CaseOpenedTally
from cases.tally import monthly_tallies_available
from mediation.models import Dispute
from petitions.models import Petition

TYPES = ((Dispute, "dispute"), (Petition, "petition"))


@functools.lru_cache(maxsize=8192)
def poisson_bound(mean: float, significance: float) -> int:
    """The smallest k with P(X >= k) <= significance for X ~ Poisson(mean). Kept: a scan asks it for
    every village, town and category of the province, mostly with the same few baselines."""
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


class _Totals:
    """The counts the surge rules read, [in window, in baseline] of both case types for each rule's
    window (``windows``: (start of baseline, start of window) pairs; one pass over the cases serves
    every surge rule of a scan), grouped as little as the method needs: per region code (villages,
    and towns from them) and per county and category. The categories' counts leave out the villages
    and towns that explain their own surge; those few places are read per category afterwards
    (``categories_without``) and subtracted, instead of reading every (region, category) pair of the
    counties: ~470,000 rows a province scan turned into Python objects (docs/performance.md)."""

    def __init__(self, counties, windows, now):
        self.windows = list(windows)
        self.counties = sorted(counties)
        start = min(base for base, _window in self.windows)
        self.span = {"opened_at__gte": start, "opened_at__lte": now, "withheld_from_unit__isnull": True}
        self.counts = {}
        for i, (start_base, start_window) in enumerate(self.windows):
            self.counts[f"recent{i}"] = Count("pk", filter=Q(opened_at__gte=start_window))
            self.counts[f"base{i}"] = Count(
                "pk", filter=Q(opened_at__gte=start_base, opened_at__lt=start_window)
            )
        self.columns = list(self.counts)
        rows = (
            self._in_counties(Case.objects.filter(kind__in=[kind for _m, kind in TYPES], **self.span))
            .values("region_id").annotate(**self.counts).order_by()
            .values_list("region_id", *self.columns)
        )  # fmt: skip
        self.by_region = {code: figures for code, *figures in rows}
        self.by_category = {}
        # The whole months inside every window's baseline come from the opened-case tally; the
        # cases are read for the rest (the baselines' ragged ends and the windows).
        self.tallied = _whole_months(max(b for b, _w in self.windows), min(w for _b, w in self.windows))
        for model, kind in TYPES:
            cases = model.objects.filter(**self.span)
            if self.tallied:
                cases = cases.exclude(opened_at__gte=self.tallied[0], opened_at__lt=self.tallied[1])
            rows = (
                self._in_counties(cases)
                .annotate(county=Substr("region_id", 1, 6))
                .values("county", "category__code").annotate(**self.counts).order_by()
                .values_list("county", "category__code", *self.columns)
            )  # fmt: skip
            for county, category, *figures in rows:
                self.by_category[(county, f"{kind}:{category}")] = figures
        if self.tallied:
            self._add_tallied(*self.tallied)

    def _add_tallied(self, first, end):
        """Add the tally's cases opened in the months [first, end) to every window's baseline: a
        county's categories over a year were a join of 500,000 cases per case type, ~1 s each at
        province scale (docs/performance.md, the warning scan)."""
        codes = {kind: dict(model._meta.get_field("category").related_model.objects.values_list("pk", "code"))
                 for model, kind in TYPES}  # fmt: skip
        rows = (
            CaseOpenedTally.objects.filter(
                county__in=self.counties, withheld_from_unit_id__isnull=True, kind__in=list(codes),
                month__gte=first.date(), month__lt=end.date(),  # both the first of a month, local
            )
            .values_list("county", "kind", "category_id").annotate(total=Sum("n")).order_by()
        )  # fmt: skip
        for county, kind, category_id, n in rows:
            if n:
                key = (county, f"{kind}:{codes[kind].get(category_id)}")
                figures = self.by_category.setdefault(key, [0] * len(self.columns))
                for window in range(len(self.windows)):
                    figures[2 * window + 1] += n

    def _in_counties(self, cases):
        """The cases of the counties, by the county part of the region code: one lookup per row in a
        hashed list, where a LIKE per county (every county of the province on a day's scan, ~90)
        cost as much again as counting (docs/performance.md, the warning scan)."""
        return cases.alias(in_county=Substr("region_id", 1, 6)).filter(in_county__in=self.counties)

    def regions(self, window: int) -> dict:
        """region code -> [recent, base] in the ``window``-th window."""
        return {code: figures[2 * window : 2 * window + 2] for code, figures in self.by_region.items()}

    def categories_without(self, window: int, places: set[str], towns: set[str]) -> dict:
        """(county, category key) -> [recent, base] in the ``window``-th window of the cases outside
        the region codes ``places`` and outside the towns ``towns`` (9-digit prefixes)."""
        pick = slice(2 * window, 2 * window + 2)
        result = defaultdict(lambda: [0, 0], {key: f[pick] for key, f in self.by_category.items()})
        if not places and not towns:
            return result
        left_out = Q(region_id__in=sorted(places))
        for town in towns:
            left_out |= Q(region__code__startswith=town)
        start_base, start_window = self.windows[window]
        counts = {"recent": self.counts[f"recent{window}"], "base": self.counts[f"base{window}"]}
        for model, kind in TYPES:
            rows = (
                self._in_counties(model.objects.filter(left_out, **self.span))
                .values("region_id", "category__code").annotate(**counts).order_by()
                .values_list("region_id", "category__code", "recent", "base")
            )  # fmt: skip
            for code, category, recent, base in rows:
                cell = result[(code[:6], f"{kind}:{category}")]
                cell[0] -= recent
                cell[1] -= base
        return result


def _whole_months(start, end) -> tuple | None:
    """The first moment of the first whole month (Asia/Shanghai, as the tally cuts them) at or after
    ``start`` and of the month holding ``end``: [first, last) is every whole month in between, or
    None when there is none or the tally is not kept here (cases.tally.monthly_tallies_available)."""
    if not monthly_tallies_available():
        return None
    zone = timezone.get_default_timezone()  # the site's, whatever a request activated
    local = timezone.localtime(start, zone)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if first < local:
        first = (first + timedelta(days=32)).replace(day=1)
    last = timezone.localtime(end, zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first, last) if first < last else None


def _windows(rule, now) -> tuple:
    start_window = now - timedelta(days=rule.window_days)
    return (start_window - timedelta(days=rule.baseline_days), start_window)


def totals_for(rules, changed, now, memo: dict | None = None) -> tuple[set, _Totals | None]:
    """The regions the ``changed`` cases touched and the counts of every surge rule in ``rules`` over
    their counties, read once per scan (``memo``: the scan's own dict; each rule picks its window)."""
    memo = {} if memo is None else memo
    windows = tuple(sorted({_windows(rule, now) for rule in rules}))
    key = ("surge", windows)
    if key not in memo:
        if "surge:touched" not in memo:
            memo["surge:touched"] = set(changed.values_list("region_id", flat=True).distinct())
        touched = memo["surge:touched"]
        memo[key] = (touched, _Totals({c[:6] for c in touched}, windows, now) if touched else None)
    return memo[key]


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


def find(rule, changed, now, memo: dict | None = None, rules=None) -> list[Finding]:
    """The surges of groups touched by the ``changed`` cases (a queryset of Case). ``rules``: every
    surge rule the scan asks (their counts are read together, kept in the scan's ``memo``)."""
    memo = {} if memo is None else memo
    touched, totals = totals_for([*(rules or []), rule], changed, now, memo)
    if totals is None:
        return []
    start_base, start_window = _windows(rule, now)
    window = totals.windows.index((start_base, start_window))
    judge = _Judge(rule)
    sums = {"village": defaultdict(lambda: [0, 0]), "town": defaultdict(lambda: [0, 0])}
    by_region = totals.regions(window)
    for code, (recent, base) in by_region.items():
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
    for code, (recent, base) in by_region.items():
        if _town(code) and code not in explained:
            cell = sums["town"][_town(code)]
            cell[0] += recent
            cell[1] += base
    for town, (recent, base) in sums["town"].items():
        if facts := judge.alarm(recent, base):
            alarms[("town", town)] = facts
    alarming_towns = {code[:9] for (lv, code) in alarms if lv == "town"}
    alarming_towns |= {k.split(":")[2][:9] for k in open_keys if k.startswith("surge:town:")}
    categories = totals.categories_without(window, explained, alarming_towns)
    for group, (recent, base) in categories.items():
        if facts := judge.alarm(recent, base):
            alarms[("category", group)] = facts
    touched_towns = {_town(c) for c in touched}
    if "surge:categories" not in memo:
        memo["surge:categories"] = _touched_categories(changed)
    touched_categories = memo["surge:categories"]
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
