import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Region, Unit

from .. import dashboard

DASHBOARD_ROLES = (roles.SUPERVISOR, roles.STATISTICIAN, roles.ADMINISTRATOR)


def _require(user):
    if not (user.is_superuser or roles.has_role(user, *DASHBOARD_ROLES)):
        raise PermissionDenied


@login_required
def dashboard_view(request):
    _require(request.user)
    user = request.user
    groups = {g: dashboard.counts_by(user, g) for g in ("unit", "town", "village")}
    unit_names = dict(
        Unit.objects.filter(pk__in=[r["key"] for r in groups["unit"] if r["key"]]).values_list("pk", "name")
    )
    codes = [r["key"] for r in groups["town"]] + [r["key"] + "000" for r in groups["town"]]
    codes += [r["key"] for r in groups["village"]]
    region_names = dict(Region.objects.filter(pk__in=codes).values_list("pk", "name"))
    for row in groups["unit"]:
        row["name"] = unit_names.get(row["key"], "—")
    for row in groups["town"]:
        row["name"] = region_names.get(row["key"] + "000", row["key"])
    for row in groups["village"]:
        row["name"] = region_names.get(row["key"], row["key"])
    today = timezone.localdate()
    trend, as_of = dashboard.cached(user, "trend", lambda: dashboard.monthly_trend(user))
    month_rates, _at = dashboard.cached(
        user, "month_rates", lambda: dashboard.rates_by_unit(user, today.replace(day=1), today)
    )
    year_rates, _at = dashboard.cached(
        user, "year_rates", lambda: dashboard.rates_by_unit(user, datetime.date(today.year, 1, 1), today)
    )
    totals = {k: sum(r[k] for r in groups["unit"]) for k in ("open", "due_soon", "overdue")}
    return render(request, "supervision/dashboard.html", {
        "groups": groups, "totals": totals, "month_rates": month_rates, "year_rates": year_rates,
        "trend": trend, "figures_as_of": as_of,
        "chart_data": _chart_data(groups["town"], trend),
    })  # fmt: skip


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
