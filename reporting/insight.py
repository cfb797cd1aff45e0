"""Analysis pages (研判, issue 18): where cases gather, how they move, who they are against.

Every figure is a count (or a median) over the cases ``visible_cases_in_region`` admits for the
user in one region, and each count has a *figure key* (``FIGURES``) whose filter is also what its
drill-down list applies (``figure_cases``): the list behind a figure is the same filter, so its
length is the figure. Each figure is one grouped query, whatever the number of cases or places.
docs/analysis.md states the definitions.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, Max, OuterRef, Q
from django.db.models.aggregates import Aggregate
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Region
from accounts.scoping_regions import visible_cases_in_region
from analysis import conversions
from analysis.models import WarningRule
from cases.models import Case, CaseParty, PartyRole
from mediation.models import Dispute, DisputeCategory
from petitions.models import Petition, PetitionCategory
from reporting import opened_tally
from reporting.periods import Period
from reporting.tables import SELF_ROW, TOTAL_ROW, group_expression, row_regions

MONTHS = 12
# How far back a "repeat" looks: a case whose bringer brought another in the year before it.
REPEAT_DAYS = 365
# The conversion window when the warning rule is missing (its seeded value).
CONVERSION_DAYS = 180
TOP_RESPONDENTS = 10
BRINGERS = (PartyRole.APPLICANT, PartyRole.PETITIONER)
SHADES = 5  # classes of the single-hue scale (templates/reporting/insight.html)


class Median(Aggregate):
    """PostgreSQL's exact median; over an interval it returns an interval."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def months_ending(period: Period, n: int = MONTHS) -> list[Period]:
    """The ``n`` calendar months ending with the month of the period's last day, oldest first."""
    months = [Period.month(period.end.year, period.end.month)]
    while len(months) < n:
        months.append(months[-1].previous())
    return months[::-1]


def shade(value, top) -> int:
    """0 for nothing, else 1..SHADES by the share of the table's largest figure."""
    if not value or not top:
        return 0
    return max(1, -(-value * SHADES // top))


def _between(period: Period, field_name: str = "opened_at") -> Q:
    start, end = period.bounds()
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def _category_key(kind: str, pk) -> str:
    return f"{kind[0]}{pk}"


def conversion_days() -> int:
    rule = WarningRule.objects.filter(code="conversion").values_list("window_days", flat=True).first()
    return rule or CONVERSION_DAYS


def converted_q(days: int) -> Exists:
    """A dispute whose applicant petitioned within ``days`` after it was opened, read from the
    lasting dispute -> petition links (``analysis.Conversion``, written when the petition is
    registered and by the warning scan; §30-withheld petitions are never linked)."""
    return conversions.converted_q(days)


def repeated_q() -> Exists:
    """A case whose bringer (applicant or petitioner, a natural person) brought another case opened
    in the REPEAT_DAYS before it."""
    bringers = CaseParty.objects.filter(
        case_id=OuterRef(OuterRef("pk")), role__in=BRINGERS, is_organisation=False
    ).values("person_id")
    return Exists(
        CaseParty.objects.filter(
            person_id__in=bringers, role__in=BRINGERS, case__withheld_from_unit__isnull=True,
            case__opened_at__lt=OuterRef("opened_at"),
            case__opened_at__gte=ExpressionWrapper(
                OuterRef("opened_at") - datetime.timedelta(days=REPEAT_DAYS), output_field=DurationField()
            ),
        ).exclude(case_id=OuterRef("pk"))
    )  # fmt: skip


@dataclass
class Scope:
    user: object
    region: Region
    period: Period

    def cases(self, model=Case):
        return visible_cases_in_region(self.user, model.objects.all(), self.region.prefix)


@dataclass
class Cell:
    value: object
    level: int = 0
    params: dict = field(default_factory=dict)  # the drill-down's figure parameters


def _rows(scope: Scope):
    length, children = row_regions(scope.region)
    return length, children


def _fold(counts: dict, children) -> dict:
    """{grp: …} with the keys of cases on the region itself (no child row) folded into SELF_ROW."""
    known = {key for key, _name in children}
    out: dict = {}
    for (grp, *rest), n in counts.items():
        key = (grp if grp in known else SELF_ROW, *rest)
        out[key] = out.get(key, 0) + n
    return out


def _named_rows(scope, children, present):
    rows = list(children)
    if SELF_ROW in present:
        rows.append((SELF_ROW, f"{scope.region.name}（本级）"))
    return rows


def heat_by_month(scope: Scope) -> dict:
    """Cases opened per child region and month over the twelve months ending with the period."""
    length, children = _rows(scope)
    months = months_ending(scope.period)
    window = Period(months[0].start, months[-1].end)
    how = opened_tally.reader(scope.user, scope.region, [window], length)
    if how is not None:  # a city or the province (reporting.opened_tally)
        tallied = opened_tally.by_month(how, scope.region, window, length)
        opened = {(grp, f"{month:%Y-%m}"): n for (grp, month), n in tallied.items()}
    else:
        rows = (
            scope.cases().filter(_between(window))
            .annotate(grp=group_expression(length), mon=TruncMonth("opened_at"))
            .values("grp", "mon").annotate(n=Count("pk"))
        )  # fmt: skip
        opened = {(r["grp"], f"{timezone.localtime(r['mon']):%Y-%m}"): r["n"] for r in rows}
    counts = _fold(opened, children)
    keys = [f"{m.start:%Y-%m}" for m in months]
    return _table(scope, children, counts, keys, "month", [m.start for m in months])


def _table(scope, children, counts, columns, figure, headings) -> dict:
    present = {key[0] for key in counts}
    rows = []
    top = max(counts.values(), default=0)
    for key, name in _named_rows(scope, children, present):
        cells = [
            Cell(
                counts.get((key, c), 0),
                shade(counts.get((key, c), 0), top),
                {"figure": figure, "row": key, "col": c},
            )
            for c in columns
        ]
        total = sum(cell.value for cell in cells)
        rows.append({"key": key, "name": name, "cells": cells,
                     "total": Cell(total, 0, {"figure": figure, "row": key, "col": ""})})  # fmt: skip
    totals = [
        Cell(
            sum(counts.get((r["key"], c), 0) for r in rows), 0, {"figure": figure, "row": TOTAL_ROW, "col": c}
        )
        for c in columns
    ]
    grand = Cell(sum(c.value for c in totals), 0, {"figure": figure, "row": TOTAL_ROW, "col": ""})
    return {
        "headings": headings,
        "rows": rows,
        "totals": totals,
        "grand": grand,
        "shades": range(1, SHADES + 1),
    }


def _categories():
    """{category key: (kind, name)} of both case types (two small tables)."""
    names = {_category_key("dispute", c.pk): ("dispute", str(c)) for c in DisputeCategory.objects.all()}
    names.update(
        {_category_key("petition", c.pk): ("petition", str(c)) for c in PetitionCategory.objects.all()}
    )
    return names


def by_category(scope: Scope) -> dict:
    """The heat table of child regions × categories in the period, and each category's trend: this
    period, the period before (环比) and the same period a year before (同比). One query per case type."""
    length, children = _rows(scope)
    periods = {"cur": scope.period, "prev": scope.period.previous(), "ly": scope.period.year_before()}
    heat: dict = {}
    trend: dict = {}
    how = opened_tally.reader(scope.user, scope.region, list(periods.values()), length)
    for model, kind in ((Dispute, "dispute"), (Petition, "petition")):
        if how is not None:  # a city or the province (reporting.opened_tally)
            rows = opened_tally.by_category(how, scope.region, periods, length, kind)
        else:
            any_period = Q()
            for p in periods.values():
                any_period |= _between(p)
            rows = (
                scope.cases(model).filter(any_period).annotate(grp=group_expression(length))
                .values("grp", "category_id")
                .annotate(**{name: Count("pk", filter=_between(p)) for name, p in periods.items()})
            )  # fmt: skip
        for r in rows:
            key = _category_key(kind, r["category_id"])
            if r["cur"]:
                heat[(r["grp"], key)] = heat.get((r["grp"], key), 0) + r["cur"]
            figures = trend.setdefault(key, dict.fromkeys(periods, 0))
            for name in periods:
                figures[name] += r[name]
    heat = _fold(heat, children)
    names = _categories()
    used = sorted({k for _g, k in heat}, key=lambda k: (-sum(n for (_g, c), n in heat.items() if c == k), k))
    table = _table(scope, children, heat, used, "category", [names[k] for k in used])
    trends = []
    for key, figures in sorted(trend.items(), key=lambda item: (-item[1]["cur"], item[0])):
        kind, name = names[key]
        trends.append({
            "key": key, "kind": kind, "name": name,
            **{n: Cell(v, 0, {"figure": "category", "row": TOTAL_ROW, "col": key, "which": n})
               for n, v in figures.items()},
            "mom": change(figures["cur"], figures["prev"]), "yoy": change(figures["cur"], figures["ly"]),
        })  # fmt: skip
    return {"heat": table, "trends": trends, "periods": periods}


def change(now, before):
    """Percentage change, one decimal; None when there was nothing before."""
    if not before:
        return None
    return round((now - before) * 100 / before, 1)


def top_respondents(scope: Scope) -> list[dict]:
    """The organisations respondent on the most cases opened in the period (one query)."""
    cases = scope.cases().filter(_between(scope.period)).values("pk")
    rows = (
        CaseParty.objects.filter(case_id__in=cases, role=PartyRole.RESPONDENT, is_organisation=True)
        .values("person_id").annotate(n=Count("case_id", distinct=True), name=Max("name"))
        .order_by("-n", "person_id")[:TOP_RESPONDENTS]
    )  # fmt: skip
    return [
        {"name": r["name"], "count": Cell(r["n"], 0, {"figure": "respondent", "org": r["person_id"]})}
        for r in rows
    ]


def conversion_and_repeat(scope: Scope) -> list[dict]:
    """Per child region: disputes opened in the period and those turned petition; cases opened in
    the period and those whose bringer came before (one query)."""
    length, children = _rows(scope)
    days = conversion_days()
    rows = (
        scope.cases().filter(_between(scope.period))
        .annotate(grp=group_expression(length), conv=converted_q(days), rep=repeated_q())
        .values("grp").annotate(
            disputes=Count("pk", filter=Q(kind="dispute")),
            converted=Count("pk", filter=Q(kind="dispute", conv=True)),
            cases=Count("pk"), repeated=Count("pk", filter=Q(rep=True)),
        )
    )  # fmt: skip
    figures = ("disputes", "converted", "cases", "repeated")
    counts = _fold({(r["grp"], f): r[f] for r in rows for f in figures}, children)
    present = {key[0] for key, n in counts.items() if n}
    out = []
    # Places without a case in the period are left out (the heat tables show every place).
    places = [(key, name) for key, name in _named_rows(scope, children, present) if key in present]
    for key, name in [*places, (TOTAL_ROW, None)]:
        values = {
            f: (
                sum(n for (g, ff), n in counts.items() if ff == f)
                if key == TOTAL_ROW
                else counts.get((key, f), 0)
            )
            for f in figures
        }
        out.append({
            "key": key, "name": name, "days": days,
            **{f: Cell(v, 0, {"figure": f, "row": key}) for f, v in values.items()},
            "conversion": percent(values["converted"], values["disputes"]),
            "repeat": percent(values["repeated"], values["cases"]),
        })  # fmt: skip
    return out


def percent(numerator, denominator):
    return round(numerator * 100 / denominator, 1) if denominator else None


def _median_in_python(closed) -> list[dict]:
    """``resolution``'s rows computed from the closed cases' two dates (one query; a period's closed
    cases of one region, not the table)."""
    took: dict = {}
    for category, opened, closed_at in closed.values_list("category_id", "opened_at", "closed_at"):
        took.setdefault(category, []).append(closed_at - opened)
    return [{"category_id": c, "n": len(d), "median": statistics.median(d)} for c, d in took.items()]


def resolution(scope: Scope) -> list[dict]:
    """Median days from opening to closing of the cases closed in the period, by category."""
    names = _categories()
    out = []
    for model, kind in ((Dispute, "dispute"), (Petition, "petition")):
        closed = scope.cases(model).filter(_between(scope.period, "closed_at"))
        if connection.vendor == "postgresql":
            took = ExpressionWrapper(F("closed_at") - F("opened_at"), output_field=DurationField())
            rows = closed.values("category_id").annotate(n=Count("pk"), median=Median(took))
        else:
            rows = _median_in_python(closed)  # the demo's SQLite has no percentile_cont
        for r in rows:
            key = _category_key(kind, r["category_id"])
            out.append({
                "key": key, "kind": kind, "name": names[key][1],
                "count": Cell(r["n"], 0, {"figure": "closed", "col": key}),
                "median_days": round(r["median"].total_seconds() / 86400, 1),
            })  # fmt: skip
    return sorted(out, key=lambda r: (-r["count"].value, r["key"]))
