"""Analysis pages (研判): thin — the statistics form picks region and period, reporting.insight
computes, reporting.insight_lists lists the cases behind a figure."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts import roles
from reporting import charts, insight
from reporting.forms import StatisticsForm
from reporting.insight_lists import figure_cases, figure_label, warnings_summary
from reporting.insight_tiles import place_tiles
from reporting.reports import REPORT_ROLES

# The drill-down's own parameters, beside the form's region and period.
FIGURE_PARAMS = ("figure", "row", "col", "which", "org")


def _scope(request):
    if not (request.user.is_superuser or roles.has_role(request.user, *REPORT_ROLES)):
        raise PermissionDenied
    form = StatisticsForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else form.clean_defaults()
    if data["region"] is None:
        raise PermissionDenied  # a department without a jurisdiction
    return form, insight.Scope(request.user, data["region"], data["period"])


def _base_query(scope) -> str:
    query = QueryDict(mutable=True)
    query["region"] = scope.region.code
    if scope.period.is_month:
        query["month"] = f"{scope.period.start:%Y-%m}"
    else:
        query["start"], query["end"] = scope.period.start.isoformat(), scope.period.end.isoformat()
    return query.urlencode()


@login_required
def insight_view(request):
    form, scope = _scope(request)
    context = {"form": form}
    if scope is not None:
        query = _base_query(scope)
        context.update(
            scope=scope, query=query, period_query=query.split("&", 1)[1],
            months=insight.heat_by_month(scope),
            categories=insight.by_category(scope), respondents=insight.top_respondents(scope),
            places=insight.conversion_and_repeat(scope), resolution=insight.resolution(scope),
            warnings=warnings_summary(scope), tiles=_tiles(scope, query),
        )  # fmt: skip
    return render(request, "reporting/insight.html", context)


def _tiles(scope, query: str) -> str:
    """The tile grid (SVG): a tile opens its case list, a town's name the page on that town."""
    cases_url = reverse("insight:cases")
    period_query = query.split("&", 1)[1]
    tiles = place_tiles(
        scope,
        case_href=lambda params: f"{cases_url}?{query}&{urlencode(params)}",
        place_href=lambda code: f"?region={code}&{period_query}",
    )
    label = _("Cases opened in the period by place: %(place)s") % {"place": scope.region.place_name}
    return charts.tile_grid(tiles, label, unit=_(" cases"), drill_label=_("Look inside "))


@login_required
def insight_cases_view(request):
    form, scope = _scope(request)
    if scope is None:
        raise Http404
    params = {key: request.GET.get(key, "") for key in FIGURE_PARAMS}
    params["row"] = params["row"] or "total"
    cases = figure_cases(scope, params)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reporting/insight_cases.html", {
        "scope": scope, "page": page, "query": query.urlencode(), "base_query": _base_query(scope),
        "label": figure_label(scope, params),
    })  # fmt: skip
