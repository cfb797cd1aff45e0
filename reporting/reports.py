"""The two monthly reports and what one user sees of one of them: the figures (live, and frozen
where the period was frozen), the lines above the tables. Shared by the pages and by the
background rendering of the PDF (reporting.tasks), so both build the document the same way."""

from dataclasses import dataclass
from types import ModuleType
from urllib.parse import urlencode

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from reporting import mediation_stats, petition_stats
from reporting.freeze import REPORTED, UNKNOWN, overlay, snapshot_for, viewed_by
from reporting.models import ReportKind

REPORT_ROLES = (roles.STATISTICIAN, roles.SUPERVISOR)


@dataclass(frozen=True)
class Report:
    slug: str
    kind: str
    title: str
    module: ModuleType
    case_url: str


REPORTS = {
    "petitions": Report(
        "petitions", ReportKind.PETITION, gettext_lazy("Monthly petition statistics"), petition_stats,
        "petitions:detail",
    ),
    "mediation": Report(
        "mediation", ReportKind.MEDIATION, gettext_lazy("Monthly mediation statistics"), mediation_stats,
        "disputes:detail",
    ),
}  # fmt: skip


def query(region, period) -> str:
    params = {"region": region.code}
    if period.is_month:
        params["month"] = f"{period.start:%Y-%m}"
    else:
        params.update(start=period.start.isoformat(), end=period.end.isoformat())
    return urlencode(params)


def heading(region, period, snapshot, frozen) -> list[str]:
    """The lines above the tables, but the last ("made on", ``made_on_line``); the second says how a
    frozen report is shown (the same words for every viewer of one kind, whether or not any case was
    left out for them)."""
    lines = [f"{region.name} · {period.label()}"]
    if snapshot:
        values = {
            "who": snapshot.frozen_by.get_full_name() or snapshot.frozen_by.username,
            "when": formats.date_format(timezone.localtime(snapshot.frozen_at), "DATETIME_FORMAT"),
        }
        if frozen.mode == REPORTED:
            text = _("Frozen by %(who)s on %(when)s; a differing live figure is shown beside it.")
        elif frozen.mode == UNKNOWN:
            text = _(
                "Frozen by %(who)s on %(when)s, before frozen statistics recorded the cases they count: "
                "shown are the live figures of the cases you may see (the part visible to your unit), "
                "not the reported ones."
            )
        else:
            text = _(
                "Frozen by %(who)s on %(when)s. Shown is the part of the reported figures visible to "
                "your unit: cases you may not see are left out, whether or not there are any. A "
                "differing live figure is shown beside it."
            )
        lines.append(text % values)
    return lines


def made_on_line() -> str:
    return _("Made on %(date)s.") % {"date": formats.date_format(timezone.localdate(), "DATE_FORMAT")}


def statistics_data(user, report: Report, region, period) -> dict:
    """Everything ``user`` sees of ``report`` on ``region`` over ``period``: the figures come from
    the report's ``compute`` for this user (the one scoping rule), the frozen ones as ``viewed_by``
    restricts them for this user. ``heading`` ends with the "made on" line, also given alone."""
    results = report.module.compute(user, region, period)
    snapshot = snapshot_for(report.kind, region, period)
    frozen = viewed_by(user, snapshot, report.module, results["sheets"], region)
    made_on = made_on_line()
    # A report's live sheets (the mediation report's inspection ledger) follow its own, never frozen.
    live = getattr(report.module, "live_sheets", None)
    shown = [*results["sheets"], *(live(user, region, period) if live else [])]
    return {
        "region": region, "period": period, "results": results, "snapshot": snapshot, "frozen": frozen,
        "sheets": overlay(shown, frozen.figures if frozen else None),
        "query": query(region, period),
        "heading": [*heading(region, period, snapshot, frozen), made_on], "made_on": made_on,
    }  # fmt: skip
