"""The monthly 分析研判报告: the analysis page's figures for one place and month, the charts drawn as
SVG (reporting.charts) and the narrative sentences written from the figures.

Everything is computed for the person who asked, over ``insight.Scope`` (the one scoping rule,
``visible_cases_in_region``; warnings through ``visible_warnings``), so the document shows what
their analysis page shows. ``report_data`` gathers (a fixed dozen queries); ``rises`` and
``narrative`` are plain functions of the figures, tested on their own.
"""

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import RegionLevel
from mediation.models import Dispute
from petitions.models import Petition
from reporting import charts, insight
from reporting.insight_lists import warnings_summary
from reporting.insight_tiles import place_tiles
from reporting.periods import Period
from reporting.tables import group_expression

TEMPLATE = "reports/analysis_report.html"
# A place × category counts as rising when it has at least this many cases in the month and more
# than the month before: 1 -> 2 is noise, not a finding.
RISE_MINIMUM = 3
RISES_SHOWN = 3
BARS_SHOWN = 12


def month_series(scope) -> dict:
    """Cases opened per month over the twelve months ending with the report's month, and the same
    twelve months a year before (one query over 24 months)."""
    months = insight.months_ending(scope.period, 24)
    window = Period(months[0].start, months[-1].end)
    rows = (
        scope.cases().filter(insight._between(window)).annotate(mon=TruncMonth("opened_at"))
        .values("mon").annotate(n=Count("pk"))
    )  # fmt: skip
    counts: dict[str, int] = {}
    for r in rows:
        key = f"{timezone.localtime(r['mon']):%Y-%m}"
        counts[key] = counts.get(key, 0) + r["n"]
    values = [counts.get(f"{m.start:%Y-%m}", 0) for m in months]
    return {
        "labels": [formats.date_format(m.start, "n月") for m in months[12:]],
        "this": values[12:],
        "last": values[:12],
    }


def place_category_changes(scope) -> list[dict]:
    """Per child region and category: cases opened in the month and the month before (one query per
    case type)."""
    length, children = insight._rows(scope)
    cur, prev = scope.period, scope.period.previous()
    counts: dict = {}
    for model, kind in ((Dispute, "dispute"), (Petition, "petition")):
        rows = (
            scope.cases(model).filter(insight._between(cur) | insight._between(prev))
            .annotate(grp=group_expression(length)).values("grp", "category_id")
            .annotate(cur=Count("pk", filter=insight._between(cur)),
                      prev=Count("pk", filter=insight._between(prev)))
        )  # fmt: skip
        for r in rows:
            key = insight._category_key(kind, r["category_id"])
            for which in ("cur", "prev"):
                counts[(r["grp"], key, which)] = r[which]
    counts = insight._fold(counts, children)
    places = dict(insight._named_rows(scope, children, {k[0] for k in counts}))
    places.update(_place_names(scope.region, length))
    names = insight._categories()
    out = []
    for grp, key in sorted({(g, k) for g, k, _w in counts}):
        out.append({
            "place": places.get(grp, grp), "category": names[key][1], "kind": names[key][0],
            "cur": counts.get((grp, key, "cur"), 0), "prev": counts.get((grp, key, "prev"), 0),
        })  # fmt: skip
    return out


def _place_names(region, length) -> dict[str, str]:
    """{row key: 先进村} — the short place names the tiles use, not 先进村委会."""
    if region.level >= RegionLevel.VILLAGE:
        return {region.code[:length]: region.place_name}
    return {child.code[:length]: child.place_name for child in region.children.all()}


def rises(changes: list[dict], minimum: int = RISE_MINIMUM, n: int = RISES_SHOWN) -> list[dict]:
    """The place × category figures that rose most on the month before (by cases added), each with
    its change in % (None when there were none before)."""
    rising = [c for c in changes if c["cur"] >= minimum and c["cur"] > c["prev"]]
    rising.sort(key=lambda c: (-(c["cur"] - c["prev"]), -c["cur"], c["place"], c["category"]))
    return [{**c, "pct": insight.change(c["cur"], c["prev"])} for c in rising[:n]]


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def movement(now: int, before: int) -> str:
    """上升 20.0% / 下降 10.0% / 持平 / 新增 (nothing before)."""
    pct = insight.change(now, before)
    if pct is None:
        return _("up from none") if now else _("unchanged")
    if pct > 0:
        return _("up %(pct)s") % {"pct": _pct(pct)}
    if pct < 0:
        return _("down %(pct)s") % {"pct": _pct(-pct)}
    return _("unchanged")


def narrative(d: dict) -> list[str]:
    """The report's sentences, from the figures ``report_data`` gathered (plain values only)."""
    t = d["totals"]
    lines = [
        _(
            "In %(month)s, %(place)s opened %(n)d cases (disputes and petitions): %(mom)s on the month "
            "before (%(prev)d) and %(yoy)s on the same month last year (%(ly)d)."
        )
        % {
            "month": d["month_label"],
            "place": d["place"],
            "n": t["cur"],
            "prev": t["prev"],
            "ly": t["ly"],
            "mom": movement(t["cur"], t["prev"]),
            "yoy": movement(t["cur"], t["ly"]),
        }  # fmt: skip
    ]
    if d["hottest"] and t["cur"]:
        name, n = d["hottest"]
        lines.append(
            _("Most cases came from %(place)s: %(n)d, %(share)s of the total.")
            % {"place": name, "n": n, "share": _pct(insight.percent(n, t["cur"]))}
        )
    for r in d["rises"]:
        values = {"place": r["place"], "category": r["category"], "cur": r["cur"], "prev": r["prev"]}
        if r["pct"] is None:
            lines.append(
                _("This month %(place)s %(category)s: %(cur)d new cases, none the month before.") % values
            )
        else:
            values["pct"] = _pct(r["pct"])
            lines.append(
                _(
                    "This month %(place)s %(category)s rose %(pct)s on the month before "
                    "(from %(prev)d to %(cur)d)."
                )
                % values
            )
    if not d["rises"]:
        lines.append(_("No category rose markedly in any place on the month before."))
    if d["respondents"]:
        items = [_("%(name)s (%(n)d)") % {"name": name, "n": n} for name, n in d["respondents"][:3]]
        lines.append(_("Organisations facing the most cases: %(list)s.") % {"list": _(", ").join(items)})
    w = d["warnings"]
    lines.append(
        _("Early warnings this month: %(raised)d raised, %(handled)d handled, %(closed)d closed.") % w
    )
    c = d["conversion"]
    lines.append(
        _(
            "Of %(disputes)d disputes opened, %(converted)d turned petitions (conversion rate %(rate)s); "
            "of %(cases)d cases opened, %(repeated)d were repeat cases (repeat rate %(repeat)s)."
        )
        % {**c, "rate": _pct(c["rate"]), "repeat": _pct(c["repeat"])}  # fmt: skip
    )
    return lines


def report_data(user, region, month: Period) -> dict:
    """The figures, charts and sentences of the report on ``region`` for ``month``, as ``user``
    may see them."""
    scope = insight.Scope(user, region, month)
    series = month_series(scope)
    categories = insight.by_category(scope)
    tiles = place_tiles(scope)
    hottest = max(((t.name, t.value) for t in tiles), key=lambda x: x[1], default=None)
    place_rows = insight.conversion_and_repeat(scope)
    total_row = place_rows[-1]
    values = {f: total_row[f].value for f in ("disputes", "converted", "cases", "repeated")}
    d = {
        "place": region.place_name,
        "month_label": month.label(),
        "totals": {"cur": series["this"][-1], "prev": series["this"][-2], "ly": series["last"][-1]},
        "hottest": hottest if hottest and hottest[1] else None,
        "rises": rises(place_category_changes(scope)),
        "respondents": [(r["name"], r["count"].value) for r in insight.top_respondents(scope)],
        "warnings": warnings_summary(scope),
        "conversion": {**values, "rate": total_row["conversion"], "repeat": total_row["repeat"]},
    }
    trends = categories["trends"]
    d["facts"] = narrative(d)
    d["trends"] = [
        {**t, **{k: t[k].value for k in ("cur", "prev", "ly")}, "mom": _pct(t["mom"]), "yoy": _pct(t["yoy"])}
        for t in trends
    ]
    d["resolution"] = [{**r, "count": r["count"].value} for r in insight.resolution(scope)]
    d["places"] = [
        {"name": p["name"] or _("Total"), **{f: p[f].value for f in values},
         "conversion": _pct(p["conversion"]), "repeat": _pct(p["repeat"])}
        for p in place_rows
    ]  # fmt: skip
    d["charts"] = {
        "trend": charts.line_chart(
            series["labels"],
            [(_("Last 12 months"), series["this"]), (_("Same months a year before"), series["last"])],
            _("Cases opened per month"),
        ),
        "categories": charts.bar_chart(
            [(t["name"], t["cur"]) for t in d["trends"] if t["cur"]][:BARS_SHOWN],
            _("Cases opened this month by category"),
        ),
        "tiles": charts.tile_grid(tiles, _("Cases opened this month by place"), columns=6, unit=_(" cases")),
    }
    d["region"], d["period"] = region, month
    return d


def render_html(user, region, month: Period) -> tuple[str, dict]:
    d = report_data(user, region, month)
    made_on = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    unit = getattr(user.unit, "name", "") if user.unit_id else ""
    return render_to_string(TEMPLATE, {"d": d, "made_on": made_on, "unit": unit}), d
