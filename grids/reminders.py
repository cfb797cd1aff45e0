"""Chasing missing inspection reports: after a week's due day, every active grid with a current post
and no report for that week reminds its post holders and the village (the supervisors of the
village's covering units) once, as in-app notifications with the e-mail/SMS outbox of
supervision.notify. Run by beat (``grids.tasks.remind_missing_reports``) and by
``manage.py remind_grid_ledgers``."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Grid, GridPost, User
from grids.ledger import due_day, last_due_week, local_today
from grids.models import LedgerReminder, LedgerReport
from supervision import notify
from supervision.models import Notification, NotificationKind
from supervision.reminders import may_send_now


def missing_grids(week_start: datetime.date):
    reported = LedgerReport.objects.filter(week_start=week_start).values("grid_id")
    staffed = GridPost.objects.filter(ended_on=None).values("grid_id")
    return (
        Grid.objects.filter(is_active=True, pk__in=staffed)
        .exclude(pk__in=reported)
        .select_related("region")
        .order_by("region_id", "code")
    )


def _recipients(grid: Grid) -> list[User]:
    holders = User.objects.filter(is_active=True, grid_posts__grid=grid, grid_posts__ended_on=None)
    village = User.objects.filter(
        is_active=True,
        unit__region_id=grid.region_id,
        unit__covers_region=True,
        unit__is_active=True,
        groups__name=roles.SUPERVISOR,
    )
    return list({u.pk: u for u in [*holders, *village]}.values())


def remind_missing(now: datetime.datetime | None = None, *, force_outbox: bool = False) -> int:
    """Write the reminders for the latest week past its due day; returns notifications written."""
    week = last_due_week(timezone.localdate(now) if now else local_today())
    now = now or timezone.now()
    written = 0
    for grid in missing_grids(week):
        with transaction.atomic():
            done = set(
                LedgerReminder.objects.filter(grid=grid, week_start=week).values_list("user_id", flat=True)
            )
            users = [u for u in _recipients(grid) if u.pk not in done]
            if not users:
                continue
            title = _("Inspection report missing: %(grid)s, week of %(week)s") % {
                "grid": grid.name,
                "week": f"{week:%Y年%-m月%-d日}",
            }
            body = _("The report was due on %(day)s. File the inspections or a zero report.") % {
                "day": f"{due_day(week):%Y年%-m月%-d日}"
            }
            link = reverse("grids:ledger", args=[grid.pk])
            Notification.objects.bulk_create(
                notify.queue_outside(
                    Notification(user=u, title=title, body=body, kind=NotificationKind.CALENDAR, link=link)
                )
                for u in users
            )
            LedgerReminder.objects.bulk_create(
                [LedgerReminder(grid=grid, week_start=week, user=u) for u in users], ignore_conflicts=True
            )
            written += len(users)
    if written and (force_outbox or may_send_now(now)):
        notify.deliver_outbox()
    return written
