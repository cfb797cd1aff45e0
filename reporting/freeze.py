"""Month-end freeze: store a report's figures with who and when, and compare them with live ones."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import roles
from reporting.models import StatisticsSnapshot
from reporting.periods import Period
from reporting.tables import serialise

FREEZE_ROLES = (roles.STATISTICIAN,)


def can_freeze(user) -> bool:
    return user.is_superuser or roles.has_role(user, *FREEZE_ROLES)


def snapshot_for(report: str, region, period: Period):
    return (
        StatisticsSnapshot.objects.select_related("frozen_by")
        .filter(report=report, region=region, start=period.start, end=period.end)
        .first()
    )


def freeze(user, report: str, region, period: Period, results, note: str = "") -> StatisticsSnapshot:
    """Keep ``results`` (the live report just computed for ``user``) as the reported figures.

    Only a period that has ended can be frozen, and only once: a correction is a new report for
    the level above, not an overwrite of what was sent.
    """
    if not can_freeze(user):
        raise PermissionDenied
    if period.end >= timezone.localdate():
        raise ValidationError(_("Only a period that has ended can be frozen."))
    try:
        with transaction.atomic():
            return StatisticsSnapshot.objects.create(
                report=report, region=region, start=period.start, end=period.end,
                figures=serialise(results), frozen_by=user, note=note[:200],
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


def overlay(results, snapshot) -> list[dict]:
    """Sheets for display: each cell the reported (frozen) value when there is a snapshot, with
    the live value beside it where the two differ."""
    frozen = snapshot.figures if snapshot else None
    live = serialise(results)
    sheets = []
    for result in results:
        rows = []
        for row in result.all_rows():
            cells = []
            for column in result.sheet.columns:
                value = row.values[column.key]
                cell = {"column": column, "value": value, "live": None}
                if frozen is not None:
                    reported = frozen.get(result.sheet.key, {}).get(row.key, {}).get(column.key)
                    if reported != live[result.sheet.key][row.key][column.key]:
                        cell["value"], cell["live"] = reported, value
                cells.append(cell)
            rows.append({"row": row, "cells": cells})
        sheets.append({"sheet": result.sheet, "rows": rows})
    return sheets
