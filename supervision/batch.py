"""A delivery batch as read from the database: the claimed reminders with what delivery reads of
their deadline and case (supervision.reminders.send, supervision.addressing, supervision.digests)."""

from accounts.models import Region, Unit, User
from cases.models import DeadlineRule
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
    """The rules, handlers, units and regions a run's batches share, each read once per run."""

    def __init__(self):
        self.rules: dict = {}
        self.handlers: dict = {}
        self.units: dict = {}
        self.regions: dict = {}

    def read(self, rows) -> None:
        for known, ids, query in (
            (self.rules, {row[5] for row in rows}, DeadlineRule.objects),
            (self.handlers, {row[13] for row in rows} - {None}, User.objects),
            (self.units, {row[12] for row in rows} - {None}, Unit.objects.select_related("region")),
            (self.regions, {row[11] for row in rows}, Region.objects),
        ):
            if ids - known.keys():
                known.update(query.in_bulk(list(ids - known.keys())))


def claim_batch(size: int, shared: Shared) -> list[BatchReminder]:
    """Claim up to ``size`` pending reminders (FOR UPDATE of the reminder rows only, SKIP LOCKED:
    two runs never claim the same one) and read them with their deadline and case in the same
    statement, as tuples, into three plain objects a row; the rules, handlers, units and regions
    they share come from ``shared`` (read once per run, a few hundred rows): building model objects
    (eight a row, then three) was most of a delivery run's time."""
    rows = list(
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state=ReminderState.PENDING)
        .order_by("pk")
        .values_list(*BATCH_FIELDS)[:size]
    )
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
