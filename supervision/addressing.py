"""Whom a reminder or an automatic supervision order (督办单) is addressed to.

wanted_recipients() names who should hear of each reminder of a batch (the handler or the handling
unit, or the unit a case type names for the deadline, cases.deadline_owners; supervisors on overdue
and escalation); addressed() keeps of them only those who may see the case under the one rule
(accounts.scoping_pairs.visible_pairs, §30 exclusion included), for a whole batch at once. auto_orders()
issues the order on escalation only between units that may see the case.
"""

import datetime
import logging

from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import PREFIX_LENGTH, Region, RegionLevel, Unit, UnitKind, User
from accounts.scoping_pairs import units_seeing, visible_by_user, visible_pairs
from cases.calendar import add_working_days
from cases.deadline_owners import deadline_owners, owned_codes
from cases.handoffs import HandOff, hand_off_many
from cases.models import TimelineEntry
from cases.timeline import record
from supervision.batch import Shared
from supervision.models import Reminder, ReminderStage, SupervisionOrder
from supervision.numbering import number_orders
from supervision.order_text import automatic_action
from supervision.orders import may_direct

St = ReminderStage
logger = logging.getLogger(__name__)


def owning_units(reminders: list[Reminder], shared: Shared) -> dict[int, Unit]:
    """Reminder id -> the unit that must act within its deadline when the case type names another
    than the handling unit (cases.deadline_owners: the receiving unit of a route still out). For
    the batch: one query per case type with such deadlines in it and one for units not read before
    in the run, none when there is no such deadline; the answers are kept for the run (``shared``)."""
    codes = owned_codes()
    owned = [r for r in reminders if r.deadline.rule.code in codes]
    if not owned:
        return {}
    known = shared.owners
    asked: dict[str, set[int]] = {}
    for r in owned:
        if (r.deadline.rule.code, r.deadline.case_id) not in known:
            asked.setdefault(r.deadline.rule.code, set()).add(r.deadline.case_id)
    if asked:
        found = deadline_owners(asked)
        known.update(((code, pk), found.get((code, pk))) for code, ids in asked.items() for pk in ids)
    units = {r.pk: known[r.deadline.rule.code, r.deadline.case_id] for r in owned}
    shared.read_units(units.values())
    return {pk: shared.units[unit] for pk, unit in units.items() if unit in shared.units}


def wanted_recipients(reminders: list[Reminder], shared: Shared | None = None) -> dict[int, list[User]]:
    """Who should hear of each reminder of a batch, in a fixed number of queries however many
    reminders: the active handler, else the active members of the handling unit; on overdue also the
    supervisors of the handling unit's place, on escalation only the supervisors one level above
    (read by region code, as auto_orders does, not through the parent row). A deadline whose case
    type names another unit that must act within it (owning_units: a route's limit, the receiving
    unit's) goes to that unit's active members instead, and its overdue and escalation to the
    supervisors of that unit's place and one level above it. ``shared`` keeps, for a delivery run,
    the members and supervisors read and the lists built (supervision.batch.Shared): reminders to
    the same people get the same list object, whichever batch they are in."""
    shared = shared or Shared()
    cases = {r.pk: r.deadline.case for r in reminders}
    owners = owning_units(reminders, shared)
    members, supervisors = shared.members, shared.supervisors
    unhandled = {
        c.handling_unit_id
        for pk, c in cases.items()
        if pk not in owners and not (c.handler_id and c.handler.is_active)
    }
    unread = (unhandled | {u.pk for u in owners.values()}) - {None} - members.keys()
    if unread:
        members.update((pk, []) for pk in unread)
        for user in User.objects.filter(unit_id__in=unread, is_active=True).order_by("pk"):
            members[user.unit_id].append(user)
    regions: dict[int, str] = {}
    for r in reminders:
        case = cases[r.pk]
        unit = owners.get(r.pk) or case.handling_unit
        if r.stage == St.ESCALATED:
            regions[r.pk] = _upper(unit.region if unit else case.region).code
        elif r.stage == St.OVERDUE and unit is not None:
            regions[r.pk] = unit.region_id
    unread = set(regions.values()) - supervisors.keys()
    if unread:
        supervisors.update((code, []) for code in unread)
        for user in (
            User.objects.filter(
                is_active=True, groups__name=roles.SUPERVISOR, unit__region_id__in=unread,
                unit__kind=UnitKind.GOVERNANCE_CENTRE,
            ).select_related("unit").distinct().order_by("pk")
        ):  # fmt: skip
            supervisors[user.unit.region_id].append(user)
    result = {}
    none: list[User] = []
    for r in reminders:
        case = cases[r.pk]
        region = regions.get(r.pk)
        owner = owners.get(r.pk)
        if r.stage == St.ESCALATED:
            key, people = ("escalated",), none
        elif owner is not None:
            key, people = ("unit", owner.pk), members.get(owner.pk, none)
        elif case.handler_id and case.handler.is_active:
            key, people = ("handler", case.handler_id), [case.handler]
        else:
            key, people = ("unit", case.handling_unit_id), members.get(case.handling_unit_id, none)
        result[r.pk] = shared.recipients((*key, region), people, supervisors.get(region))
    return result


def _upper(region: Region) -> Region:
    """One level up for escalation, without reading the parent row: village → town, town → county;
    a county or above stays itself."""
    if region.level <= RegionLevel.COUNTY:
        return region
    level = RegionLevel.TOWN if region.level == RegionLevel.VILLAGE else RegionLevel.COUNTY
    return Region(code=region.code[: PREFIX_LENGTH[level]].ljust(12, "0"), level=level)


def _nearest(chain: list[str], by_region: dict[str, list], allowed) -> list:
    """The candidates of the nearest region of ``chain`` that has any ``allowed`` one."""
    for code in chain:
        found = [c for c in by_region.get(code, []) if allowed(c)]
        if found:
            return found
    return []


def _unit_members(reminders: list[Reminder]) -> dict[int, list[User]]:
    """The active members of each reminder's handling unit who may see the case; two queries."""
    units = {r.deadline.case.handling_unit_id for r in reminders} - {None}
    members: dict[int, list[User]] = {}
    for user in User.objects.filter(unit_id__in=units, is_active=True).order_by("pk"):
        members.setdefault(user.unit_id, []).append(user)
    wanted = {r.pk: members.get(r.deadline.case.handling_unit_id, []) for r in reminders}
    allowed = visible_pairs((u, r.deadline.case_id) for r in reminders for u in wanted[r.pk])
    return {r.pk: [u for u in wanted[r.pk] if (u.pk, r.deadline.case_id) in allowed] for r in reminders}


def _nearest_supervisors(reminders: list[Reminder]) -> dict[int, list[User]]:
    """For reminders left with nobody: the supervisors of the nearest governance centre at or
    above the case's region who may see the case. Three queries for the whole batch."""
    chains = {r.pk: r.deadline.case.region.codes_up() for r in reminders}
    codes = {code for chain in chains.values() for code in chain}
    by_region: dict[str, list[User]] = {}
    for user in (
        User.objects.filter(
            is_active=True, groups__name=roles.SUPERVISOR, unit__region_id__in=codes,
            unit__kind=UnitKind.GOVERNANCE_CENTRE,
        ).select_related("unit").distinct()
    ):  # fmt: skip
        by_region.setdefault(user.unit.region_id, []).append(user)
    candidates = [
        (u, r.deadline.case_id) for r in reminders for code in chains[r.pk] for u in by_region.get(code, [])
    ]
    allowed = visible_pairs(candidates)
    return {
        r.pk: _nearest(chains[r.pk], by_region, lambda u, r=r: (u.pk, r.deadline.case_id) in allowed)
        for r in reminders
    }


def addressed(reminders: list[Reminder], shared: Shared | None = None) -> dict[int, list[User]]:
    """Who gets each reminder: its recipients() (wanted_recipients, for the batch) who may see the
    case under the one rule, checked for the whole batch at once (accounts.scoping_pairs.visible_pairs),
    so an accusation's reminder never reaches the accused unit (信访工作条例 §30) nor anyone outside
    their jurisdiction. A
    reminder left with nobody goes to the members of the handling unit who may see the case, else
    to the nearest supervisors above who may; when there are none either, that is logged and
    written on the case's timeline, never dropped in silence."""
    shared = shared or Shared()
    wanted = wanted_recipients(reminders, shared)
    # Reminders addressed to the same list (a unit's members) are asked about as one group.
    groups: dict[int, tuple[list[User], list[Reminder]]] = {}
    for r in reminders:
        people = wanted[r.pk]
        groups.setdefault(id(people), (people, []))[1].append(r)
    cases = {key: {r.deadline.case_id for r in rs} for key, (_people, rs) in groups.items()}
    seen = visible_by_user(((people, cases[key]) for key, (people, _rs) in groups.items()), shared.units)
    nothing: set[int] = set()
    result = {}
    for key, (people, rs) in groups.items():
        if all(cases[key] <= seen.get(u.id, nothing) for u in people):
            # Each may see every case of the group: the same list (digests.add writes it as one).
            result.update((r.pk, people) for r in rs)
            continue
        for r in rs:
            result[r.pk] = [u for u in people if r.deadline.case_id in seen.get(u.id, nothing)]
    orphans = [r for r in reminders if not result[r.pk]]
    if orphans:
        # A handler who may not see the case (a member of the unit it is withheld from, before it was
        # forwarded on): the handling unit's members who may see it.
        result.update(_unit_members(orphans))
        orphans = [r for r in orphans if not result[r.pk]]
    if orphans:
        result.update(_nearest_supervisors(orphans))
    for reminder in orphans:
        if not result[reminder.pk]:
            logger.warning(
                "reminder %s (case %s): nobody who may see the case", reminder.pk, reminder.deadline.case_id
            )
            record(
                reminder.deadline.case, None, "reminder_undelivered",
                _("The reminder (%(stage)s) reached nobody: no user who may see this case is assigned to "
                  "receive it.") % {"stage": reminder.get_stage_display()},
            )  # fmt: skip
    return result


def auto_orders(reminders: list[Reminder], today: datetime.date, shared: Shared | None = None) -> None:
    """督办单 on escalation: to the unit that must act (the handling unit, or the one the case type
    names for the deadline: a route's receiving unit, owning_units), issued by the governance centre
    one level above it (or the nearest above that). Both must be allowed to see the case: an order
    addressed to the accused unit would hand it the accusation, one issued by it would name the case
    to it (信访工作条例 §30). Without such units no order is made; that is logged and recorded."""
    shared = shared or Shared()
    owners = owning_units(reminders, shared)
    targets = {r.pk: owners.get(r.pk) or r.deadline.case.handling_unit for r in reminders}
    reminders = [r for r in reminders if targets[r.pk] is not None]
    if not reminders:
        return
    chains = {r.pk: _upper(targets[r.pk].region).codes_up() for r in reminders}
    codes = {code for chain in chains.values() for code in chain}
    by_region: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(
        region_id__in=codes, kind=UnitKind.GOVERNANCE_CENTRE, is_active=True
    ).select_related("region"):
        by_region.setdefault(unit.region_id, []).append(unit)
    pairs = [(targets[r.pk], r.deadline.case_id) for r in reminders]
    pairs += [
        (u, r.deadline.case_id) for r in reminders for code in chains[r.pk] for u in by_region.get(code, [])
    ]
    seeing = units_seeing(pairs, shared.units)
    target = add_working_days(today, 3).date
    planned: dict[int, tuple[Reminder, Unit]] = {}  # deadline id -> (reminder, issuing unit)
    unissued: list[int] = []  # case ids
    for reminder in reminders:
        case = reminder.deadline.case
        unit = targets[reminder.pk]
        # The supervising level: the nearest centre above the target unit that sees the case and
        # may direct it (down or sideways, §39, §40; a county centre handling a case itself is
        # supervised from above, never by itself).
        issuing = _nearest(
            chains[reminder.pk], by_region,
            lambda u, c=case.pk, t=unit: (u.pk, c) in seeing and may_direct(u, t),
        )[:1]  # fmt: skip
        if (unit.pk, case.pk) not in seeing or not issuing:
            logger.warning(
                "escalated reminder %s (case %s): no order, no unit may see the case", reminder.pk, case.pk
            )
            unissued.append(case.pk)
            continue
        planned.setdefault(reminder.deadline_id, (reminder, issuing[0]))
    # One INSERT for the batch's timeline entries (the chain trigger numbers each case's own).
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            case_id=pk,
            action="order_not_issued",
            description=_(
                "No supervision order was issued on escalation: the handling unit or the unit above it "
                "may not see this case."
            ),
        )  # fmt: skip
        for pk in unissued
    )
    if not planned:
        return
    # One automatic order per escalated deadline (the constraint supervision_auto_unique): those that
    # exist are left as they are, the rest made in one INSERT and their hand-off notices in one more
    # (cases.handoffs.hand_off_many), not a get_or_create and a hand-off per escalation. A concurrent
    # run making the same order makes this INSERT fail: the batch rolls back and stays pending.
    existing = set(
        SupervisionOrder.objects.filter(deadline_id__in=list(planned), issuer=None).values_list(
            "deadline_id", flat=True
        )
    )
    made = [(reminder, issuing) for key, (reminder, issuing) in planned.items() if key not in existing]
    actions: dict[tuple, str] = {}  # (rule, due date) -> the text: translated and formatted once
    for reminder, _issuing in made:
        key = (reminder.deadline.rule_id, reminder.deadline.due_date)
        if key not in actions:
            actions[key] = automatic_action(reminder.deadline.rule, reminder.deadline.due_date)
    orders = [
        SupervisionOrder(
            case_id=reminder.deadline.case_id,
            deadline_id=reminder.deadline_id,
            issuer=None,
            issuing_unit=issuing,
            target_unit=targets[reminder.pk],
            required_action=actions[reminder.deadline.rule_id, reminder.deadline.due_date],
            target_date=target,
        )
        for reminder, issuing in made
    ]
    number_orders(orders)  # one locked counter per county for the batch
    SupervisionOrder.objects.bulk_create(orders)
    # The target unit is told at once (in send()'s transaction) through who must act: the case's
    # active handler, else — no handler, or one who may not see the case — the unit's members, as a
    # reminder is addressed (wanted_recipients); a unit named by the case type (a route's receiving
    # unit), through its members, never the handler. Not every member as for an order issued by hand: an
    # automatic order comes with every escalation, and told to each member of a large unit it was
    # ~60 notices an order (580,000 in a run of 100,000 reminders); every member still finds the
    # order among "orders to answer" in the inbox (supervision.inbox). docs/performance.md.
    handlers = {r.pk: None if r.pk in owners else _active_handler(r) for r, _issuing in made}
    hand_off_many(
        HandOff(reminder.deadline.case, None, action="supervise", title=_("Supervision order"),
                units=[] if handlers[reminder.pk] else [targets[reminder.pk]], users=[handlers[reminder.pk]],
                sender_unit=issuing, units_if_none=[targets[reminder.pk]])
        for reminder, issuing in made
    )  # fmt: skip


def _active_handler(reminder: Reminder) -> User | None:
    case = reminder.deadline.case
    return case.handler if case.handler_id and case.handler.is_active else None
