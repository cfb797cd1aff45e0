from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from supervision import dashboard
from supervision.panels import panels

DASHBOARD_ROLES = (roles.SUPERVISOR, roles.STATISTICIAN, roles.ADMINISTRATOR)


def _require(user):
    if not (user.is_superuser or roles.has_role(user, *DASHBOARD_ROLES)):
        raise PermissionDenied


# The tables a dashboard shows in part and ``table_view`` shows whole.
TABLES = ("unit", "town", "village", "month", "year")


def _rates(user, period: str):
    """(rows, computed at) of one period's on-time rates, from the per-user cache."""
    today = timezone.localdate()
    start, end = dashboard.period_bounds(period, today)
    return dashboard.cached(user, f"{period}_rates", lambda: dashboard.rates_by_unit(user, start, end))


def _rates_head(user, period: str, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows of a period's rates and how many there are, cached on their own: the
    province's whole table (a row per unit, ~20,000) cost ~30 ms to unpickle from the cache on every
    dashboard request, for the ``DASHBOARD_TABLE_ROWS`` (15) it shows."""

    def head():
        rows, _at = _rates(user, period)
        return rows[:limit], len(rows)

    return dashboard.cached(user, f"{period}_rates_head_{limit}", head)[0]


@login_required
def dashboard_view(request):
    _require(request.user)
    user = request.user
    limit = dashboard.table_rows()
    # Totals over every row; only the first rows (most overdue first) are named and rendered, so
    # the page costs about the same for a village and for the province.
    firsts, sizes, totals = dashboard.summary(user, limit)
    shown = dashboard.name_rows(firsts)
    trend, as_of = dashboard.cached(user, "trend", lambda: dashboard.monthly_trend(user))
    month_rates, month_size = _rates_head(user, "month", limit)
    year_rates, year_size = _rates_head(user, "year", limit)
    return render(request, "supervision/dashboard.html", {
        "groups": shown, "group_sizes": sizes, "totals": totals,
        "month_rates": month_rates, "year_rates": year_rates,
        "rate_sizes": {"month": month_size, "year": year_size}, "limit": limit,
        "trend": trend, "figures_as_of": as_of,
        "chart_data": _chart_data(shown["town"], trend), "panels": panels("dashboard", user),
    })  # fmt: skip


@login_required
def table_view(request, table: str):
    """One dashboard table whole, 50 rows a page, in the dashboard's order."""
    _require(request.user)
    if table not in TABLES:
        raise Http404
    if table in dashboard.GROUPS:
        rows, as_of = dashboard.counts_by(request.user, table), None
    else:
        rows, as_of = _rates(request.user, table)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    if table in dashboard.GROUPS:
        page.object_list = dashboard.name_rows({table: list(page.object_list)})[table]
    return render(request, "supervision/table.html", {
        "table": table, "page": page, "figures_as_of": as_of, "title": TABLE_TITLES[table],
    })  # fmt: skip


TABLE_TITLES = {
    "unit": gettext_lazy("Open cases by handling unit"),
    "town": gettext_lazy("Open cases by town"),
    "village": gettext_lazy("Open cases by village"),
    "month": gettext_lazy("On-time rates this month"),
    "year": gettext_lazy("On-time rates this year"),
}


def _chart_data(towns, trend) -> dict:
    """What static/js/charts.js draws: the same figures as the tables, with their drill-down links."""
    drill = reverse("supervision:drilldown")
    return {
        "trend": {
            "labels": [m["month"] for m in trend],
            "values": [m["n"] for m in trend],
            "links": [f"{drill}?bucket=opened&key={m['month']}" for m in trend],
            "label": str(_("Cases registered")),
        },
        "towns": {
            "labels": [r["name"] for r in towns],
            "series": [
                {"label": str(label), "values": [r[key] for r in towns], "colour": colour}
                for key, label, colour in (
                    ("overdue", _("Overdue"), "#b02a37"),
                    ("due_soon", _("Due within 3 days"), "#e0a800"),
                    ("open", _("Open"), "#1f4e79"),
                )
            ],
            "links": [f"{drill}?bucket=open&group=town&key={r['key']}" for r in towns],
        },
    }


@login_required
def drilldown_view(request):
    _require(request.user)
    bucket, group, key = (
        request.GET.get("bucket", ""),
        request.GET.get("group", ""),
        request.GET.get("key", ""),
    )
    if bucket in dashboard.RATE_BUCKETS:
        # Rates count met deadlines, so their drill-down lists deadlines (one row per counted item).
        qs = dashboard.rate_queryset(request.user, bucket, request.GET.get("period", ""), key)
        qs = qs.select_related("rule", "case__region", "case__handling_unit").order_by("met_at", "pk")
    elif bucket == "opened":
        qs = dashboard.opened_queryset(request.user, key).select_related("region", "handling_unit")
        qs = qs.order_by("opened_at", "pk")
    else:
        qs = dashboard.bucket_queryset(request.user, bucket, group, key).select_related(
            "region", "handling_unit"
        )
        qs = qs.order_by("next_due_at", "pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "supervision/drilldown.html", {
        "page": page, "bucket": bucket, "query": query.urlencode(),
        "deadline_rows": bucket in dashboard.RATE_BUCKETS,
    })  # fmt: skip
