"""Month-end freeze: store a report's figures with who and when, and the cases behind them; show
each viewer the frozen figures restricted to the cases they may see (docs/statistics.md).

信访工作条例 §30 forbids telling the accused unit anything of an accusation against it. A frozen
figure is computed for the freezer and may count such a case; shown as it is to the accused unit's
statistician it would tell them ("received 2, now 1"). So a viewer sees the frozen figures added up
again over the frozen cases they may see now (``accounts.scoping.visible_cases``, the one rule),
and whether that is labelled "as reported" or "the part your unit may see" depends on who the viewer
is, never on whether anything was left out: a label that changed when a case is hidden would itself
say that one is.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, F, Func
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.scoping import visible_cases
from reporting.models import StatisticsSnapshot
from reporting.periods import Period
from reporting.tables import SELF_ROW, member_case_ids, serialise

FREEZE_ROLES = (roles.STATISTICIAN,)

# How a viewer sees a frozen report.
REPORTED = "reported"  # the reporting unit (and superusers): the figures as reported upward
VISIBLE_PART = "visible_part"  # anyone else: the frozen figures over the cases they may see
UNKNOWN = "unknown"  # frozen before membership was recorded: the viewer's own live figures


def can_freeze(user) -> bool:
    return user.is_superuser or roles.has_role(user, *FREEZE_ROLES)


def snapshot_for(report: str, region, period: Period):
    return (
        StatisticsSnapshot.objects.select_related("frozen_by")
        .filter(report=report, region=region, start=period.start, end=period.end)
        .first()
    )


def freeze(user, report: str, module, region, period: Period, note: str = "") -> StatisticsSnapshot:
    """Keep the report (``module``: petition_stats or mediation_stats) as computed now for ``user``
    as the reported figures, with the cases each figure counts.

    Only a period that has ended can be frozen, and only once: a correction is a new report for
    the level above, not an overwrite of what was sent.
    """
    if not can_freeze(user):
        raise PermissionDenied
    if period.end >= timezone.localdate():
        raise ValidationError(_("Only a period that has ended can be frozen."))
    # The figures stored are what the stored membership adds up to (module.frozen).
    results, members = module.frozen(user, region, period)
    try:
        with transaction.atomic():
            return StatisticsSnapshot.objects.create(
                report=report, region=region, start=period.start, end=period.end,
                figures=serialise(results), members=members, frozen_by=user, unit_id=user.unit_id,
                note=note[:200],
            )  # fmt: skip
    except IntegrityError:
        existing = snapshot_for(report, region, period)
        raise ValidationError(
            _("These statistics were already frozen by %(who)s on %(when)s.")
            % {
                "who": existing.frozen_by.get_full_name() or existing.frozen_by.username,
                "when": formats.date_format(timezone.localtime(existing.frozen_at), "DATETIME_FORMAT"),
            }
        ) from None


@dataclass
class FrozenView:
    mode: str  # REPORTED, VISIBLE_PART or UNKNOWN
    figures: dict | None  # {sheet: {row: {column: value}}} to show as frozen; None: live only


def viewed_by(user, snapshot, module, results: list, region) -> FrozenView | None:
    """What ``user`` sees of ``snapshot`` beside the live ``results`` computed for them.

    One query (which of the frozen cases the user may see now), whatever the number of figures.
    """
    if snapshot is None:
        return None
    if snapshot.members is None:
        # Frozen before membership was recorded: no one can tell which cases a figure counts, so
        # only those who have already seen every one of them see the figures: the freezer and a
        # superuser. Everyone else sees their own live figures, marked.
        if user.is_superuser or user.pk == snapshot.frozen_by_id:
            return FrozenView(REPORTED, snapshot.figures)
        return FrozenView(UNKNOWN, None)
    keep = visible_members(user, snapshot.members)
    sheets = [result.sheet for result in results]
    children = [(row.key, row.name) for row in results[0].rows if row.key != SELF_ROW] if results else []
    restricted = serialise(module.from_members(snapshot.members, keep, sheets, region, children))
    # Only the cells that were frozen: a category added since has no reported figure.
    figures = {
        sheet: {
            row: {column: restricted.get(sheet, {}).get(row, {}).get(column) for column in cells}
            for row, cells in rows.items()
        }
        for sheet, rows in snapshot.figures.items()
    }
    reporting_unit = user.unit_id is not None and user.unit_id == snapshot.unit_id
    return FrozenView(REPORTED if user.is_superuser or reporting_unit else VISIBLE_PART, figures)


class IdAmong(Func):
    """``id = ANY(string_to_array(%s, ',')::bigint[])`` on PostgreSQL: a county month's few thousand
    ids as one text parameter. As ``IN (%s, …)`` or an ARRAY literal each id is a parameter or a
    constant node, which took 20-50 ms to send and parse for 5,000 ids; as text, about 1 ms."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, ids):
        super().__init__(F("pk"))
        self.ids = [str(int(i)) for i in ids]

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"{column} = ANY(string_to_array(%s, ',')::bigint[])", [*params, ",".join(self.ids)]
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", [*params, *map(int, self.ids)]


def visible_members(user, members: dict) -> set[int]:
    """The ids of the frozen cases ``user`` may see now: one query."""
    ids = member_case_ids(members)
    if not ids:
        return set()
    cases = apps.get_model("cases", "Case").objects.filter(IdAmong(sorted(ids)))
    return set(visible_cases(user, cases).values_list("pk", flat=True))


def overlay(results, frozen: dict | None) -> list[dict]:
    """Sheets for display: each cell the frozen value when there are ``frozen`` figures (as
    ``viewed_by`` gives them), with the live value beside it where the two differ."""
    live = serialise(results)
    sheets = []
    for result in results:
        rows = []
        for row in result.all_rows():
            cells = []
            for column in result.sheet.columns:
                value = row.values[column.key]
                cell = {"column": column, "value": value, "live": None}
                # A sheet the freeze does not keep (the inspection ledger: entries, not cases) is live.
                if frozen is not None and result.sheet.key in frozen:
                    reported = frozen.get(result.sheet.key, {}).get(row.key, {}).get(column.key)
                    if reported != live[result.sheet.key][row.key][column.key]:
                        cell["value"], cell["live"] = reported, value
                cells.append(cell)
            rows.append({"row": row, "cells": cells})
        sheets.append({"sheet": result.sheet, "rows": rows})
    return sheets
