"""A delivery batch as read from the database: the claimed reminders with what delivery reads of
their deadline and case (supervision.reminders.send, supervision.addressing, supervision.digests)."""

from django.db import connection
from django.utils import timezone

from accounts.models import Region, Unit, User
from cases.models import Case, Deadline, DeadlineRule
from supervision.models import Reminder, ReminderStage, ReminderState

# What delivery reads of a reminder, its deadline and its case, as one tuple a row.
BATCH_FIELDS = ("id", "stage", "due_date", "deadline_id", "deadline__case_id", "deadline__rule_id",
                "deadline__due_date", "deadline__state", "deadline__case__kind", "deadline__case__number",
                "deadline__case__summary", "deadline__case__region_id", "deadline__case__handling_unit_id",
                "deadline__case__handler_id", "deadline__case__withheld_from_unit_id")  # fmt: skip


class BatchCase:
    """What delivery reads of a case (``pk``, number, summary, region, handling unit, handler, §30
    exclusion, kind for its page's link): a plain object, not a model instance."""

    __slots__ = ("pk", "kind", "number", "summary", "region_id", "region", "handling_unit_id",
                 "handling_unit", "handler_id", "handler", "withheld_from_unit_id")  # fmt: skip

    @property
    def id(self) -> int:
        return self.pk


class BatchDeadline:
    __slots__ = ("pk", "case_id", "case", "rule_id", "rule", "due_date", "state")

    @property
    def id(self) -> int:
        return self.pk


class BatchReminder:
    """A claimed reminder as delivery reads it (supervision.addressing, supervision.digests): the
    attributes of ``Reminder`` with ``deadline`` and ``deadline.case`` it uses, nothing more."""

    __slots__ = ("pk", "stage", "due_date", "deadline_id", "deadline")

    @property
    def id(self) -> int:
        return self.pk

    def get_stage_display(self) -> str:
        return str(ReminderStage(self.stage).label)


class Shared:
    """The rules, handlers, units and regions a run's batches share, each read once per run; and
    whom they address (supervision.addressing.wanted_recipients): each unit's active members and
    each place's supervisors, read once per run, and each list of recipients built once, so that
    the reminders of the whole run addressed to the same people share one list (DigestRun.add and
    addressed() work by list, not by reminder). A run takes seconds: who joins or leaves a unit
    meanwhile is addressed from the next run, as a handler already was."""

    def __init__(self):
        self.rules: dict = {}
        self.handlers: dict = {}
        self.units: dict = {}
        self.regions: dict = {}
        self.members: dict[int, list[User]] = {}  # unit id -> its active members
        self.supervisors: dict[str, list[User]] = {}  # region code -> its centres' supervisors
        self.lists: dict[tuple, list[User]] = {}  # who a reminder goes to -> the one list of them
        # (rule code, case id) -> the unit that must act within it when not the handling unit
        # (cases.deadline_owners; None: the handling side), asked once per run.
        self.owners: dict[tuple[str, int], int | None] = {}

    def recipients(self, key: tuple, people: list[User], more: list[User] | None) -> list[User]:
        """The run's one list of ``people`` and ``more`` (each once), ``key`` naming both."""
        found = self.lists.get(key)
        if found is None:
            found = self.lists[key] = list({u.id: u for u in [*people, *(more or ())]}.values())
        return found

    def read_units(self, ids) -> None:
        """Units (with their region) not read before in the run: one query, or none."""
        missing = set(ids) - {None} - self.units.keys()
        if missing:
            self.units.update(Unit.objects.select_related("region").in_bulk(list(missing)))

    def read(self, rows) -> None:
        for known, ids, query in (
            (self.rules, {row[5] for row in rows}, DeadlineRule.objects),
            (self.handlers, {row[13] for row in rows} - {None}, User.objects),
            (self.units, {row[12] for row in rows} - {None}, Unit.objects.select_related("region")),
            (self.regions, {row[11] for row in rows}, Region.objects),
        ):
            if ids - known.keys():
                known.update(query.in_bulk(list(ids - known.keys())))


# On PostgreSQL the claim marks the batch sent in the statement that claims it (the transaction
# that writes its digests commits both, or neither): claiming with FOR UPDATE and then updating the
# same rows wrote each of them twice, and the UPDATE of 100,000 rows by listed ids was the largest
# single cost of a run (docs/performance.md). Only rows still pending are claimed and those another
# run holds are skipped, as before.
# The batch is picked once, in a MATERIALIZED CTE. Written as ``WHERE id IN (SELECT … LIMIT n FOR
# UPDATE SKIP LOCKED)`` the planner may make it the inner side of a nested loop (it did when the
# table's statistics said it was empty, as after a deployment): each rescan skipped the rows this
# statement had just updated and locked the next n, and one "batch" claimed every pending reminder.
CLAIM = """
WITH picked AS MATERIALIZED (
    SELECT id FROM {reminder} WHERE state = %(pending)s ORDER BY id LIMIT %(size)s
    FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE {reminder} r SET state = %(sent)s, sent_at = %(now)s
    FROM picked p WHERE r.id = p.id
    RETURNING r.id, r.stage, r.due_date, r.deadline_id
)
SELECT c.id, c.stage, c.due_date, c.deadline_id, d.case_id, d.rule_id, d.due_date, d.state, k.kind,
       k.number, k.summary, k.region_id, k.handling_unit_id, k.handler_id, k.withheld_from_unit_id
FROM claimed c JOIN {deadline} d ON d.id = c.deadline_id JOIN {case} k ON k.id = d.case_id
ORDER BY c.id
"""


def _claim_rows(size: int, now) -> list[tuple]:
    """The claimed rows in BATCH_FIELDS' order; on PostgreSQL already marked sent (CLAIM)."""
    if connection.vendor != "postgresql":
        return list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=ReminderState.PENDING)
            .order_by("pk")
            .values_list(*BATCH_FIELDS)[:size]
        )
    quote = connection.ops.quote_name
    tables = {name: quote(model._meta.db_table) for name, model in
              (("reminder", Reminder), ("deadline", Deadline), ("case", Case))}  # fmt: skip
    with connection.cursor() as cur:
        cur.execute(  # table names from model metadata, every value a parameter
            CLAIM.format(**tables),
            {"sent": ReminderState.SENT, "pending": ReminderState.PENDING, "now": now, "size": size},
        )
        return cur.fetchall()


def mark_sent(reminders: list["BatchReminder"], now) -> None:
    """What CLAIM does on PostgreSQL, for other databases: the claimed batch is sent."""
    if connection.vendor != "postgresql" and reminders:
        Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(
            state=ReminderState.SENT, sent_at=now
        )


def claim_batch(size: int, shared: Shared, now=None) -> list[BatchReminder]:
    """Claim up to ``size`` pending reminders (FOR UPDATE of the reminder rows only, SKIP LOCKED:
    two runs never claim the same one) and read them with their deadline and case in the same
    statement, as tuples, into three plain objects a row; the rules, handlers, units and regions
    they share come from ``shared`` (read once per run, a few hundred rows): building model objects
    (eight a row, then three) was most of a delivery run's time."""
    rows = _claim_rows(size, now or timezone.now())
    shared.read(rows)
    rules, handlers, units, regions = shared.rules, shared.handlers, shared.units, shared.regions
    reminders = []
    for (pk, stage, due, deadline_id, case_id, rule_id, deadline_due, state, kind, number, summary,
         region_id, unit_id, handler_id, withheld) in rows:  # fmt: skip
        case = BatchCase()
        case.pk, case.kind, case.number, case.summary = case_id, kind, number, summary
        case.region_id, case.region = region_id, regions[region_id]
        case.handling_unit_id, case.handling_unit = unit_id, units.get(unit_id)
        case.handler_id, case.handler = handler_id, handlers.get(handler_id)
        case.withheld_from_unit_id = withheld
        deadline = BatchDeadline()
        deadline.pk, deadline.case_id, deadline.case = deadline_id, case_id, case
        deadline.rule_id, deadline.rule, deadline.due_date, deadline.state = (
            rule_id,
            rules[rule_id],
            deadline_due,
            state,
        )
        reminder = BatchReminder()
        reminder.pk, reminder.stage, reminder.due_date = pk, stage, due
        reminder.deadline_id, reminder.deadline = deadline_id, deadline
        reminders.append(reminder)
    return reminders
