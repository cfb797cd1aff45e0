"""Deadline reminders: decide (scan) and deliver (send) as two separate, repeatable steps.

scan()  selects open deadlines by RANGE on the indexed due time ("due on or before the end of this
        stage's window and not yet reminded at this or a more severe stage") and inserts one Reminder
        row for the most severe stage each has reached, with no cap. A skipped run is caught up by the
        next one; scanners take turns (an advisory lock), so two at once insert each row once.
send()  claims pending reminders with SELECT … FOR UPDATE SKIP LOCKED, batch by batch, groups them
        into one digest per recipient for the whole run (supervision.digests), and writes the in-app
        notifications in the same transaction that marks the reminders sent: exactly once. E-mail
        and SMS then go out through the outbox in supervision.notify (send, then mark: at least once).
The in-app notice is written at any hour; e-mail and SMS go out on working days within working
hours (REMINDER_SEND_FROM/UNTIL).
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.scoping import visible_cases
from cases.calendar import WorkCalendar, add_working_days
from cases.deadlines import end_of_day
from cases.models import Case, Deadline, DeadlineState
from supervision import notify
from supervision.addressing import addressed, auto_orders
from supervision.batch import Shared, claim_batch, mark_sent
from supervision.digests import DigestRun
from supervision.models import (
    Notification,
    NotificationKind,
    Reminder,
    ReminderStage,
    ReminderState,
    ScanRun,
    SupervisionOrder,
    SupervisionState,
)
from supervision.parts import fold_leftovers
from supervision.pglocal import current, set_local

St = ReminderStage
# The handler's track, most severe first: a deadline gets only the most severe stage it has reached,
# so a case first seen when already overdue is not also told "due in 3 days".
HANDLER_TRACK = [St.OVERDUE, St.DUE_TODAY, St.DUE_TOMORROW, St.DUE_IN_3_WORKDAYS]
BATCH = 2000


def escalate_after_days() -> int:
    return getattr(settings, "REMINDER_ESCALATE_AFTER_DAYS", 3)


def stage_limits(today: datetime.date, calendar: WorkCalendar | None = None) -> dict[str, datetime.date]:
    """The latest due date that puts a deadline into each stage on ``today``."""
    return {
        St.DUE_IN_3_WORKDAYS: add_working_days(today, 3, calendar=calendar).date,
        St.DUE_TOMORROW: today + datetime.timedelta(days=1),
        St.DUE_TODAY: today,
        St.OVERDUE: today - datetime.timedelta(days=1),
        St.ESCALATED: today - datetime.timedelta(days=escalate_after_days()),
    }


def _insert_stage(stage: str, limit: datetime.date, blocking: list[str]) -> int:
    """Other databases: one stage at a time in keyset batches through Python."""
    already = Reminder.objects.filter(
        deadline_id=OuterRef("pk"), stage__in=blocking, due_date=OuterRef("due_date")
    )
    candidates = Deadline.objects.filter(state=DeadlineState.OPEN, due_at__lte=end_of_day(limit)).filter(
        ~Exists(already)
    )
    inserted, last = 0, 0
    while True:
        rows = list(candidates.filter(pk__gt=last).order_by("pk").values_list("pk", "due_date")[:BATCH])
        if not rows:
            return inserted
        Reminder.objects.bulk_create(
            [Reminder(deadline_id=pk, stage=stage, due_date=due) for pk, due in rows], ignore_conflicts=True
        )
        inserted += len(rows)
        last = rows[-1][0]


# Scanners take turns on this transaction-level advisory lock (a fixed number no other code uses).
SCAN_LOCK = 0x4A494546

# "Not reminded yet" is one probe of the unique (deadline, stage, due date) index per due deadline,
# whatever the statistics say (NOT EXISTS (… OFFSET 0) stays a subplan run per deadline, and these
# settings keep it on the index), because the statistics mislead the planner both ways:
# - the reminder table can be empty when the statement is planned and hold a million rows by its end.
#   Planned as empty, the anti-join re-read the whole table, or the whole index, for every deadline,
#   rows inserted so far included: quadratic (a million due deadlines ran 15 minutes before being
#   stopped);
# - the due-time statistics cover every deadline ever, so the planner takes most open deadlines for
#   due: it hashed the whole reminder history on every run (and compiled the statement with JIT)
#   to decide a few hundred.
# A probe costs about a microsecond: ~1 s for the re-run over a million due deadlines.
PROBE_EACH_DEADLINE = {"enable_seqscan": "off", "jit": "off"}


def scan_statement(limits: dict[str, datetime.date]) -> tuple[str, dict]:
    """Every stage in one INSERT … SELECT, the rows never travelling to Python (docs/performance.md).

    Each open deadline due within the widest window gets the most severe stage it has reached (the
    CASE, most severe first), unless it already has a reminder at that or a more severe stage for
    the same due date (a place in the track up to ``rank``) — what the stage-by-stage loop of other
    databases decides. The place is tested on the rows found, not given to the index as a list of
    stages, which made one descent of the index per listed stage (re-run over a million: 2.0 s ->
    1.0 s). Escalation is its own track. A plain INSERT, not ON CONFLICT DO
    NOTHING, whose speculative insertion cost 2 of 8 CPU seconds per million rows: scanners hold
    SCAN_LOCK in turn and the statement's snapshot is taken after the lock, so a second scanner sees
    the first one's rows and inserts none; the unique constraint stays as the guard."""
    track = HANDLER_TRACK
    ranks = " ".join(f"WHEN d.due_at <= %(limit{i})s THEN {i + 1}" for i in range(len(track) - 1))
    params = {f"limit{i}": end_of_day(limits[stage]) for i, stage in enumerate(track)}
    params |= {
        "track": [str(stage) for stage in track],
        "widest": params[f"limit{len(track) - 1}"],
        "escalated": str(St.ESCALATED),
        "escalate_limit": end_of_day(limits[St.ESCALATED]),
        "open": str(DeadlineState.OPEN),
        "pending": str(ReminderState.PENDING),
    }
    reminder, deadline = Reminder._meta.db_table, Deadline._meta.db_table
    # Table names from model metadata, every value a parameter.
    return (
        f"""
        INSERT INTO {reminder} (deadline_id, stage, due_date, state, created_at)
        SELECT d.id, (%(track)s::text[])[s.rank], d.due_date, %(pending)s, now()
        FROM {deadline} d
        CROSS JOIN LATERAL (SELECT CASE {ranks} ELSE {len(track)} END AS rank) s
        WHERE d.state = %(open)s AND d.due_at <= %(widest)s
          AND NOT EXISTS (SELECT 1 FROM {reminder} r
                          WHERE r.deadline_id = d.id AND r.due_date = d.due_date
                            AND array_position(%(track)s::text[], r.stage::text) <= s.rank OFFSET 0)
        UNION ALL
        SELECT d.id, %(escalated)s, d.due_date, %(pending)s, now()
        FROM {deadline} d
        WHERE d.state = %(open)s AND d.due_at <= %(escalate_limit)s
          AND NOT EXISTS (SELECT 1 FROM {reminder} r
                          WHERE r.deadline_id = d.id AND r.due_date = d.due_date
                            AND r.stage = %(escalated)s OFFSET 0)
        """,  # noqa: S608
        params,
    )


def _insert_in_database(limits: dict[str, datetime.date]) -> int:
    """Runs scan_statement with SCAN_LOCK held and PROBE_EACH_DEADLINE; returns the rows inserted."""
    statement, params = scan_statement(limits)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK])
        before = current(cur, PROBE_EACH_DEADLINE)
        set_local(cur, PROBE_EACH_DEADLINE)
        cur.execute(statement, params)
        inserted = cur.rowcount
        set_local(cur, before)  # for what follows when called inside a transaction
        return inserted


def scan(now: datetime.datetime | None = None) -> int:
    """Decide which reminders are due; returns how many rows this run inserted."""
    now = now or timezone.now()
    run = ScanRun.objects.create(started_at=timezone.now())
    limits = stage_limits(timezone.localdate(now), WorkCalendar())
    if connection.vendor == "postgresql":
        inserted = _insert_in_database(limits)
    else:
        inserted = 0
        for i, stage in enumerate(HANDLER_TRACK):
            inserted += _insert_stage(stage, limits[stage], HANDLER_TRACK[: i + 1])
        inserted += _insert_stage(St.ESCALATED, limits[St.ESCALATED], [St.ESCALATED])
    run.finished_at, run.created = timezone.now(), inserted
    run.save(update_fields=["finished_at", "created"])
    return inserted


def last_scan() -> ScanRun | None:
    return ScanRun.objects.filter(finished_at__isnull=False).first()


def scan_is_late(run: ScanRun | None, now: datetime.datetime | None = None) -> bool:
    """True after two missed scan intervals: beat drops ticks during a broker outage and only logs it,
    so the portal has to say so (docs/architecture.md, background work)."""
    if run is None:
        return False
    interval = settings.CELERY_BEAT_SCHEDULE["scan-deadlines"]["schedule"]
    return (now or timezone.now()) - run.finished_at > datetime.timedelta(seconds=2 * float(interval))


def may_send_now(now: datetime.datetime) -> bool:
    local = timezone.localtime(now)
    start = datetime.time.fromisoformat(getattr(settings, "REMINDER_SEND_FROM", "08:30"))
    until = datetime.time.fromisoformat(getattr(settings, "REMINDER_SEND_UNTIL", "17:30"))
    workday = WorkCalendar().is_workday(local.date()) or not getattr(settings, "REMINDER_WORKDAYS_ONLY", True)
    return workday and start <= local.time() <= until


# A batch's statements read and write a few thousand rows through unnest()ed arrays and jsonb,
# which the planner takes for millions: it compiled them with JIT, which took longer than running
# them (docs/performance.md, reminder delivery).
BATCH_SETTINGS = {"jit": "off"}


def send(now: datetime.datetime | None = None, *, force: bool = False, batch: int | None = None) -> int:
    """Deliver pending reminders as one digest per recipient for the whole run (supervision.digests);
    returns the number of reminders sent.

    The in-app notifications are written at any hour; their e-mail and SMS go out only on working
    days within working hours (may_send_now), or when ``force``d: outside them they stay in the
    outbox for the first run within. Each batch costs the same statements whatever its number of
    reminders per recipient: claim, load, address (supervision.addressing), orders, the digests'
    INSERT/UPDATE, mark sent."""
    now = now or timezone.now()
    batch = batch or getattr(settings, "REMINDER_SEND_BATCH", 20000)
    fold_leftovers()  # what a killed run left, before this run's digests are written
    run, shared = DigestRun(), Shared()
    sent = 0
    try:
        while True:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cur:
                        set_local(cur, BATCH_SETTINGS)
                reminders = claim_batch(batch, shared, now)
                if not reminders:
                    break
                # A deadline met or moved since the scan: nothing to tell.
                live = [
                    r for r in reminders
                    if r.deadline.state == DeadlineState.OPEN and r.deadline.due_date == r.due_date
                ]  # fmt: skip
                to = addressed(live, shared)
                auto_orders([r for r in live if r.stage == St.ESCALATED], timezone.localdate(now), shared)
                # In the transaction that marks the batch sent: exactly once.
                run.add(to, live)
                mark_sent(reminders, now)  # on PostgreSQL the claim did (supervision.batch.CLAIM)
                sent += len(reminders)
    finally:
        run.release()
    if force or may_send_now(now):
        notify.deliver_outbox()
    return sent


def _outside(user: User, title: str, body: str, **extra) -> dict:
    note = notify.queue_outside(Notification(user=user, title=title, body=body))
    return {"user": user, "title": title, "body": body, **extra,
            "email_pending": note.email_pending, "sms_pending": note.sms_pending}  # fmt: skip


def previous_workday(day: datetime.date, calendar: WorkCalendar | None = None) -> datetime.date:
    calendar = calendar or WorkCalendar()
    day -= datetime.timedelta(days=1)
    while not calendar.is_workday(day):
        day -= datetime.timedelta(days=1)
    return day


def supervisor_digest(now: datetime.datetime | None = None) -> int:
    """The 08:30 digest for supervisors on working days: deadlines in their jurisdiction that became
    overdue since the previous working day's digest (so Monday's covers the weekend), the total still
    overdue, and supervision orders of their unit waiting for a reply. One per user and day, however
    often beat fires (a restart can fire a crontab entry twice). Returns notifications written."""

    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = WorkCalendar()
    if not calendar.is_workday(today):
        return 0
    since = previous_workday(today, calendar)
    written = 0
    for user in User.objects.filter(is_active=True, groups__name=roles.SUPERVISOR).distinct():
        if Notification.objects.filter(user=user, digest_of=today).exists():
            continue
        mine = visible_cases(user, Case.objects.filter(closed_at__isnull=True)).values("pk")
        newly = (
            Deadline.objects.filter(
                state=DeadlineState.OPEN, case_id__in=mine, due_date__gte=since, due_date__lt=today
            )
            .select_related("case", "rule")
            .order_by("due_at", "pk")
        )
        newly_count = newly.count()
        overdue_count = visible_cases(
            user, Case.objects.filter(closed_at__isnull=True, next_due_at__lt=now)
        ).count()
        # Orders of the user's unit about cases the user may see: an order on an accusation later
        # withheld from the unit is neither counted nor named (信访工作条例 §30).
        waiting = SupervisionOrder.objects.filter(
            issuing_unit_id=user.unit_id,
            state=SupervisionState.OPEN,
            case_id__in=visible_cases(user, Case.objects.all()).values("pk"),
        )
        waiting_count = waiting.count()
        if not newly_count and not overdue_count and not waiting_count:
            continue
        named = list(newly[:50])
        orders = list(waiting.select_related("case")[:50])
        lines = [f"{d.case.number} {d.case.summary} — {d.rule.label}" for d in named]
        lines += [
            _("Supervision order on %(number)s awaits a reply") % {"number": o.case.number} for o in orders
        ]
        case_ids = sorted({d.case_id for d in named} | {o.case_id for o in orders})
        title = _(
            "Daily digest: %(newly)d newly overdue, %(overdue)d overdue in all, "
            "%(orders)d supervision orders waiting"
        ) % {"newly": newly_count, "overdue": overdue_count, "orders": waiting_count}
        try:
            with transaction.atomic():
                Notification.objects.create(
                    **_outside(
                        user,
                        title,
                        "\n".join(lines),
                        digest_of=today,
                        case_ids=case_ids,
                        kind=NotificationKind.DIGEST,
                    )
                )
        except IntegrityError:
            continue  # another worker wrote today's digest for this user first
        written += 1
    notify.deliver_outbox()
    return written
