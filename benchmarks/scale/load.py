"""The scale seeder's driver: COPY each chunk of generated cases into PostgreSQL.

One transaction for the whole load (see ``seed_scale``), so an interrupted run leaves nothing half
written.
Explicit ids come from blocks reserved on the tables' sequences first, and the sequences are set past
the generated ids at the end, so the application's own inserts never collide with them.
"""

import queue
import threading
import time
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from accounts.models import UnitKind
from benchmarks.scale.generate import Generator
from benchmarks.scale.kinds import Place
from benchmarks.scale.org import build_org
from benchmarks.scale.people import PeopleMaker
from benchmarks.scale.rows import (
    CASE_COLUMNS,
    DEADLINE_COLUMNS,
    HEAD_COLUMNS,
    PARTY_COLUMNS,
    TIMELINE_COLUMNS,
)
from cases.models import CaseNumberCounter
from cases.numbering import county_short_name
from cases.tally import refill_statements
from reporting import opened_tally, petition_tally

K = UnitKind
CHUNK = 50_000


def _table(app_model: str) -> str:
    return apps.get_model(app_model)._meta.db_table


# table key -> (model, columns), in the order a chunk is copied (parents before children).
def copy_plan():
    return [
        ("person", _table("cases.Person"), PeopleMaker.COLUMNS),
        ("case", _table("cases.Case"), CASE_COLUMNS),
        ("dispute", _table("mediation.Dispute"), (
            "case_ptr_id", "source", "place", "facts", "amount", "people_involved", "decline_reason",
            "referred_to", "termination_route", "prevented_criminal_case", "prevented_mass_petition",
            "category_id", "risk_level_id")),
        ("petition", _table("petitions.Petition"), (
            "case_ptr_id", "channel", "petition_kind", "route", "content", "demands", "received_on",
            "referring_body", "reference_number", "is_collective", "is_skip_level", "routed_on", "outcome",
            "reply_text", "replied_on", "extension_days", "extension_approver", "extension_reason",
            "complained_unit_id", "repeat_of_id", "target_unit_id", "category_id", "accepted_on")),
        ("party", _table("cases.CaseParty"), PARTY_COLUMNS),
        ("deadline", _table("cases.Deadline"), DEADLINE_COLUMNS),
        ("timeline", _table("cases.TimelineEntry"), TIMELINE_COLUMNS),
        ("timeline_head", _table("cases.TimelineHead"), HEAD_COLUMNS),
        ("session", _table("mediation.MediationSession"), (
            "id", "held_at", "place", "attendees", "record", "outcome", "created_at", "created_by_id",
            "dispute_id")),
        ("session_mediator", apps.get_model("mediation.MediationSession").mediators.through._meta.db_table,
         ("mediationsession_id", "user_id")),
        ("agreement", _table("mediation.Agreement"), (
            "form", "terms", "responsibilities", "performance_manner", "performance_place", "performance_due",
            "amount", "effective_date", "signed_by", "performed_on", "performance_note", "confirmation_state",
            "confirmation_applied_on", "confirmation_court", "confirmation_decided_on", "created_at",
            "dispute_id", "recorded_by_id")),
        ("follow_up", _table("mediation.FollowUp"), (
            "date", "method", "performance", "satisfaction", "new_risks", "created_at", "dispute_id",
            "visitor_id")),
        ("visit", _table("petitions.VisitBatch"), ("visited_on", "head_count", "created_at", "petition_id")),
        ("evaluation", _table("petitions.Evaluation"),
         ("value", "given_on", "way", "created_at", "petition_id")),
        ("grant", _table("cases.CaseGroupObjectPermission"),
         ("content_object_id", "group_id", "permission_id")),
    ]  # fmt: skip


class _Chunks:
    """A file-like object over a list of lines for copy_expert (it reads until an empty result)."""

    def __init__(self, lines, size=5000):
        self.lines, self.size, self.pos = lines, size, 0

    def read(self, _n=-1):
        part = self.lines[self.pos : self.pos + self.size]
        self.pos += self.size
        return "".join(part)

    readline = read


def _reserve(table: str, count: int) -> int:
    """First id of a block of ``count`` ids taken from ``table``'s sequence."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        seq = cur.fetchone()[0]
        cur.execute("SELECT nextval(%s)", [seq])
        first = cur.fetchone()[0]
        cur.execute("SELECT setval(%s, %s)", [seq, first + count])
    return first


def _places(org) -> list[Place]:
    places = []
    for v in org.villages():
        town, county = v.code[:9] + "000", v.code[:6] + "000000"
        departments = [(u, org.unit_groups[u]) for u in org.units.get(county, {}).get(K.DEPARTMENT, [])]
        places.append(
            Place(
                code=v.code, county6=v.code[:6], name=_short(v.name),
                county_short=county_short_name(org.regions[county]),
                mc=org.unit(v.code, K.MEDIATION_COMMITTEE),
                mediator=org.user(v.code, K.MEDIATION_COMMITTEE, "mediator"),
                grid_worker=org.user(v.code, K.GOVERNANCE_CENTRE, "grid_worker"),
                town_mc=org.unit(town, K.MEDIATION_COMMITTEE),
                town_mediator=org.user(town, K.MEDIATION_COMMITTEE, "mediator"),
                town_centre=org.unit(town, K.GOVERNANCE_CENTRE),
                town_clerk=org.user(town, K.GOVERNANCE_CENTRE, "petition_clerk"),
                county_po=org.unit(county, K.PETITION_OFFICE),
                county_clerk=org.user(county, K.PETITION_OFFICE, "petition_clerk"),
                departments=departments,
            )
        )  # fmt: skip
    return [p for p in places if None not in (p.mediator, p.grid_worker, p.town_mediator, p.town_clerk)]


def _short(name: str) -> str:
    for suffix in ("社区居民委员会", "村民委员会", "社区居委会", "村委会", "居委会"):
        if name.endswith(suffix):
            return name[: -len(suffix)] + ("社区" if "社区" in suffix else "村")
    return name


@dataclass
class ScaleResult:
    disputes: int
    petitions: int
    seconds: float


def seed_scale(*, disputes: int, petitions: int, regions_path, years: int = 3, seed: int = 2026, log=print):
    """Generate the cases in one transaction: secondary indexes and constraints of the loaded tables
    are dropped first and re-created (and so re-validated by PostgreSQL) at the end, as pg_restore
    does; a failure anywhere rolls everything back, indexes included."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the scale seeder uses COPY and needs PostgreSQL (set DATABASE_URL)")
    started = time.monotonic()
    org = build_org(regions_path, log)
    places = _places(org)
    if not places:
        raise RuntimeError("no staffed village in the region file")
    log(f"organisation ready in {time.monotonic() - started:.0f} s: {len(places)} villages with staff")
    plan = copy_plan()
    tables = {key: table for key, table, _columns in plan}
    generator = Generator(
        places=places, years=years, seed=seed,
        first_person=_reserve(tables["person"], 2 * disputes + petitions + 1),
        first_case=_reserve(tables["case"], disputes + petitions + 1),
        first_session=_reserve(tables["session"], 3 * disputes + 1),
        counters={(c.county_code, c.year, c.kind): c.last for c in CaseNumberCounter.objects.all()},
    )  # fmt: skip
    generator.warm_up()
    # Generating lines (Python) and loading them (PostgreSQL) overlap: two cores, two workers.
    chunks = queue.Queue(maxsize=2)
    producer = threading.Thread(target=_produce, args=(generator, disputes, petitions, chunks), daemon=True)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit TO off")
        cur.execute("SET LOCAL maintenance_work_mem TO '1GB'")
        recreate = _drop_secondary(cur, list(tables.values()))
        recreate += _pause_chain_trigger(cur, tables["timeline"])
        recreate += _pause_tally_trigger(cur, tables["case"])
        recreate += _pause_petition_tallies(cur)
        producer.start()
        loaded = 0
        while (item := chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise RuntimeError(f"generating cases failed: {item!r}") from item
            t = time.monotonic()
            _copy_chunk(cur.cursor, plan, item)
            loaded += len(item.get("case", ()))
            log(f"cases: {loaded}/{disputes + petitions} (chunk copied in {time.monotonic() - t:.1f} s)")
        t = time.monotonic()
        for statement in recreate:
            cur.execute(statement)
        log(f"indexes and constraints re-created in {time.monotonic() - t:.0f} s")
        CaseNumberCounter.objects.bulk_create(
            [CaseNumberCounter(county_code=c, year=y, kind=k, last=last)
             for (c, y, k), last in generator.counters.items()],
            update_conflicts=True, unique_fields=["county_code", "year", "kind"], update_fields=["last"],
        )  # fmt: skip
        _advance_sequences(cur, plan)
    t = time.monotonic()
    with connection.cursor() as cur:
        for table in tables.values():
            cur.execute(f"VACUUM (ANALYZE) {table}")
    log(f"vacuum and analyze in {time.monotonic() - t:.0f} s")
    seconds = time.monotonic() - started
    log(f"seeded {disputes} disputes and {petitions} petitions in {seconds:.0f} s")
    return ScaleResult(disputes, petitions, seconds)


def _produce(generator, disputes, petitions, chunks):
    try:
        for kind, count in (("dispute", disputes), ("petition", petitions)):
            for lines in generator.chunks(kind, count, CHUNK):
                chunks.put(lines)
        chunks.put(None)
    except BaseException as exc:  # handed to the loading thread, which rolls back
        chunks.put(exc)
    finally:
        connection.close()  # this thread's own connection (deadline rules, calendar)


def _drop_secondary(cur, tables) -> list[str]:
    """Drop every index and constraint but the primary keys of ``tables``; return the statements
    that re-create them exactly (definitions read from the catalogue)."""
    cur.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
        FROM pg_constraint c
        WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
        """,
        [tables],
    )
    constraints = cur.fetchall()
    cur.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [tables],
    )
    indexes = cur.fetchall()
    for table, name, _definition, _type in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cur.execute(f"DROP INDEX {name}")
    # Unique constraints first (their indexes), then plain indexes, then foreign keys (validated).
    return (
        [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, kind in constraints if kind == "u"]
        + [definition for _name, definition in indexes]
        + [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, kind in constraints if kind == "f"]
    )


def _pause_chain_trigger(cur, table) -> list[str]:
    """Switch the audit chain's per-row trigger (cases migration 0012) off for the load: the generator
    computes the same seq, prev_hash and row_hash (and the heads), and the test checks them against
    the database's own function. Returns the statement that switches it back on."""
    cur.execute("SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = 'jiefen_chain'", [table])
    if cur.fetchone() is None:
        return []
    cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER jiefen_chain")
    return [f"ALTER TABLE {table} ENABLE TRIGGER jiefen_chain"]


def _pause_tally_trigger(cur, table) -> list[str]:
    """Switch the open-case tally's trigger (cases migration 0035) off for the load, one function
    call per copied case; returns the statements that switch it back on and count the tally again
    from the cases (cases.tally.refill_statements), in the load's transaction."""
    cur.execute(
        "SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = 'cases_open_tally_delta'", [table]
    )
    if cur.fetchone() is None:
        return []
    cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER cases_open_tally_delta")
    return [f"ALTER TABLE {table} ENABLE TRIGGER cases_open_tally_delta", *refill_statements()]


def _pause_petition_tallies(cur) -> list[str]:
    """Switch the reporting tallies' triggers (reporting migrations 0005-0008) off for the load;
    returns the statements that switch them back on and count the tallies again from the cases
    (reporting.petition_tally and reporting.opened_tally refill_statements), after the indexes are
    back (the refill finds each petition's latest evaluation by the evaluations' petition index)."""
    cur.execute("SELECT 1 FROM pg_proc WHERE proname = 'reporting_petition_count'")
    if cur.fetchone() is None:
        return []
    back = []
    for tally in (petition_tally, opened_tally):
        for table, triggers in tally.TRIGGERS.items():
            for trigger in triggers:
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
                back.append(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
    return [*back, *petition_tally.refill_statements(), *opened_tally.refill_statements()]


def _copy_chunk(raw, plan, lines):
    for key, table, columns in plan:
        if lines.get(key):
            raw.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", _Chunks(lines[key]))


def _advance_sequences(cur, plan):
    """Sequences past every generated id, so the application's inserts never collide."""
    for _key, table, columns in plan:
        if "id" in columns:
            cur.execute(
                # Table names come from model metadata, never from input.
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
                f"GREATEST((SELECT max(id) FROM {table}), 1))",
                [table],
            )
