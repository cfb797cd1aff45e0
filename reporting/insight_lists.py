"""The cases behind each figure of the analysis pages (reporting.insight), and the warnings count.

``figure_cases`` applies the filter the figure counted with, over the same scoped cases, so a
drill-down list is exactly as long as its figure.
"""

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from accounts.scoping import visible_warnings
from analysis.models import EarlyWarning
from cases.models import CaseParty, PartyRole
from mediation.models import DisputeCategory
from petitions.models import PetitionCategory
from reporting import insight
from reporting.periods import Period
from reporting.tables import SELF_ROW, TOTAL_ROW, narrow_to_row

KINDS = {"d": "dispute", "p": "petition"}


def _category(key: str) -> Q:
    kind = KINDS.get(key[:1])
    if kind is None or not key[1:].isdigit():
        raise Http404
    return Q(kind=kind, **{f"{kind}__category_id": int(key[1:])})


def _month(scope, value: str) -> Period:
    """One of the twelve months of the heat table; the whole window when empty."""
    months = insight.months_ending(scope.period)
    if not value:
        return Period(months[0].start, months[-1].end)
    for month in months:
        if f"{month.start:%Y-%m}" == value:
            return month
    raise Http404


def figure_cases(scope, params):
    """The cases counted in the figure named by ``params`` (figure, row, col, which, org)."""
    figure, row = params.get("figure", ""), params.get("row", TOTAL_ROW)
    col = params.get("col", "")
    cases = scope.cases()
    in_period = insight._between(scope.period)
    if figure == "month":
        cases = cases.filter(insight._between(_month(scope, col)))
    elif figure == "category":
        periods = {"cur": scope.period, "prev": scope.period.previous(), "ly": scope.period.year_before()}
        which = params.get("which") or "cur"
        if which not in periods:
            raise Http404
        cases = cases.filter(insight._between(periods[which]))
        if col:
            cases = cases.filter(_category(col))
    elif figure == "respondent":
        org = str(params.get("org", ""))
        if not org.isdigit():
            raise Http404
        against = CaseParty.objects.filter(
            person_id=int(org), role=PartyRole.RESPONDENT, is_organisation=True
        )
        cases = cases.filter(in_period, pk__in=against.values("case_id"))
    elif figure in ("disputes", "converted"):
        cases = cases.filter(in_period, kind="dispute")
        if figure == "converted":
            cases = cases.filter(insight.converted_q(insight.conversion_days()))
    elif figure in ("cases", "repeated"):
        cases = cases.filter(in_period)
        if figure == "repeated":
            cases = cases.filter(insight.repeated_q())
    elif figure == "closed":
        cases = cases.filter(insight._between(scope.period, "closed_at"), _category(col))
    elif figure == "place":  # a tile of the grid (reporting.insight_tiles): any place in the scope
        place = _place(scope, row)
        where = {"region_id": place.code} if col == "self" else {"region__code__startswith": place.prefix}
        return cases.filter(in_period, **where).select_related("region").order_by("-opened_at", "-pk")
    else:
        raise Http404
    return narrow_to_row(cases, scope.region, row).select_related("region").order_by("-opened_at", "-pk")


def _place(scope, code: str) -> Region:
    """A region at or below the page's region, by its full code."""
    if not (code.isdigit() and len(code) == 12 and code.startswith(scope.region.prefix)):
        raise Http404
    place = Region.objects.filter(code=code).first()
    if place is None or not scope.region.contains(place):
        raise Http404
    return place


def warnings_summary(scope) -> dict:
    """Warnings of the region the user sees: raised, handled and closed in the period (one query)."""
    queryset = visible_warnings(
        scope.user, EarlyWarning.objects.filter(region__code__startswith=scope.region.prefix)
    )
    return queryset.aggregate(
        raised=Count("pk", filter=insight._between(scope.period, "raised_at")),
        handled=Count("pk", filter=insight._between(scope.period, "handled_at")),
        closed=Count("pk", filter=insight._between(scope.period, "closed_at")),
    )


FIGURE_LABELS = {
    "month": _("Cases opened"),
    "category": _("Cases opened"),
    "respondent": _("Cases naming the organisation as respondent"),
    "disputes": _("Disputes opened"),
    "converted": _("Disputes turned petitions"),
    "cases": _("Cases opened"),
    "repeated": _("Repeat cases"),
    "closed": _("Cases closed"),
    "place": _("Cases opened"),
}


def figure_label(scope, params) -> str:
    """What the list shows, in words: the figure, its place, and its month, category or period."""
    parts = [str(FIGURE_LABELS.get(params.get("figure"), ""))]
    row = params.get("row", TOTAL_ROW)
    if params.get("figure") == "place":
        place = _place(scope, row)
        own = f"{place.place_name}（本级）" if params.get("col") == "self" else place.name
        return " · ".join(p for p in (parts[0], own) if p)
    if row.isdigit():
        region = Region.objects.filter(code=row.ljust(12, "0")).first()
        parts.append(region.name if region else row)
    elif row == SELF_ROW:
        parts.append(scope.region.name)
    col = params.get("col", "")
    if params.get("figure") == "month":
        parts.append(col or _month(scope, "").label())
    elif col[:1] in KINDS and col[1:].isdigit():
        model = DisputeCategory if col[0] == "d" else PetitionCategory
        parts.append(str(model.objects.filter(pk=int(col[1:])).first() or ""))
    which = params.get("which")
    if which in ("prev", "ly"):
        period = scope.period.previous() if which == "prev" else scope.period.year_before()
        parts.append(period.label())
    return " · ".join(p for p in parts if p)
