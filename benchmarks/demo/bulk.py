"""The demo county's past year, in bulk: the scale seeder's simulated lives (benchmarks.scale: the
same timeline entries, deadlines on the working-day calendar, numbers per county, year and kind),
written with ordinary INSERTs so that it runs on SQLite (``make run``) as on PostgreSQL.

On PostgreSQL the audit chain's trigger (cases migration 0012) fills seq, prev_hash and row_hash of
every inserted timeline entry and keeps the heads, exactly as for the application's own entries; on
SQLite there is no chain (as for every other entry there).
"""

import datetime
import json

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models

from accounts.demo import COUNTY, TOWNS, VILLAGES, short_name
from accounts.models import Region, RegionLevel, Unit, UnitKind, User
from benchmarks.demo import words
from benchmarks.scale.generate import Generator
from benchmarks.scale.kinds import Place
from benchmarks.scale.load import copy_plan
from benchmarks.scale.rows import DAY
from cases.models import CaseNumberCounter
from cases.numbering import county_short_name

K = UnitKind
# A demo village (with its own committee and staff) draws this many times the cases of a village
# the town looks after itself.
DEMO_VILLAGE_WEIGHT = 6
# Columns the database fills (the audit chain) and tables it keeps itself.
DATABASE_FILLS = {"seq", "prev_hash", "row_hash"}
SKIPPED_TABLES = {"timeline_head"}
# Of the cases opened in the last STALL_WINDOW_DAYS days, this share stalls and runs late.
STALL_WINDOW_DAYS, RECENT_STALL = 50, 0.05
VISIT_HEADS = (1,) * 30 + (2,) * 10 + (3,) * 4 + (5, 6, 8, 12)


def _member(unit: Unit, role: str) -> int | None:
    return next((u.pk for u in User.objects.filter(unit=unit, groups__name=role).order_by("pk")), None)


def places() -> list[Place]:
    """Every village of the two demo towns: the four demo villages with their own units and staff,
    the others looked after by their town (town committee, town centre), weighted to the former."""
    county = Region.objects.get(code=COUNTY)
    units = {(u.region_id, u.kind): u for u in Unit.objects.filter(region__code__startswith=COUNTY[:6])}
    po = units[(COUNTY, K.PETITION_OFFICE)]
    departments = [
        (u.pk, u.group_id) for u in Unit.objects.filter(region_id=COUNTY, kind=K.DEPARTMENT).order_by("pk")
    ]
    found = []
    for town_code in TOWNS.values():
        t_centre, t_mc = units[(town_code, K.GOVERNANCE_CENTRE)], units[(town_code, K.MEDIATION_COMMITTEE)]
        town = dict(
            town_mc=t_mc.pk, town_mediator=_member(t_mc, "mediator"), town_centre=t_centre.pk,
            town_clerk=_member(t_centre, "petition_clerk"),
        )  # fmt: skip
        villages = Region.objects.filter(code__startswith=town_code[:9], level=RegionLevel.VILLAGE)
        for village in villages.order_by("code"):
            mc, centre = (
                units.get((village.code, K.MEDIATION_COMMITTEE)),
                units.get((village.code, K.GOVERNANCE_CENTRE)),
            )
            own = mc is not None and village.code in VILLAGES.values()
            place = Place(
                code=village.code, county6=COUNTY[:6], name=short_name(village),
                county_short=county_short_name(county),
                mc=mc.pk if own else t_mc.pk,
                mediator=_member(mc, "mediator") if own else town["town_mediator"],
                grid_worker=_member(centre, "grid_worker") if own else _member(t_centre, "grid_worker"),
                county_po=po.pk, county_clerk=_member(po, "petition_clerk"),
                departments=departments, **town,
            )  # fmt: skip
            found += [place] * (DEMO_VILLAGE_WEIGHT if own else 1)
    return found


def _amount(rng) -> int:
    return rng.choice((800, 1500, 2000, 3500, 5000, 6800, 8000, 12000, 20000, 35000, 50000))


def dispute_texts(life, p: Place, category: str, names) -> tuple[str, str]:
    rng = life.rng
    summary, facts = rng.choice(words.DISPUTES.get(category) or words.DISPUTES["其他纠纷"])
    values = {"p": p.name, "a": names[0], "b": names[1], "n": _amount(rng), "m": rng.randint(2, 14)}
    return facts.format(**values), summary.format(**values)[:200]


def petition_texts(life, p: Place, category: str, kind: str, name: str) -> tuple[str, str, str]:
    rng = life.rng
    summary, content, demands = rng.choice(words.PETITIONS.get(category) or words.PETITIONS["其他"])
    values = {"p": p.name, "a": name, "b": rng.choice("王李张刘陈杨") + "某", "n": _amount(rng),
              "m": rng.randint(2, 14)}  # fmt: skip
    if kind == "suggestion":
        summary = words.SUGGESTION_SUMMARY.format(c=category)
    elif kind == "accusation":  # 检举控告: against a unit's conduct in the matter
        summary = "检举" + summary.removeprefix("反映").removeprefix("检举")
    return content.format(**values), demands, summary.format(**values)[:200]


class DemoGenerator(Generator):
    """The scale generator over the demo county for ``days`` days, with the demo's texts."""

    def __init__(self, *, days: int, **kwargs):
        super().__init__(years=days / 365, **kwargs)
        self.disputes.texts = lambda p, category, names: dispute_texts(self.disputes, p, category, names)
        # Cases left to run late are recent ones: a county does not leave a matter 300 days overdue.
        recent = self.now - STALL_WINDOW_DAYS * DAY
        self.disputes.stall_share = self.petitions.stall_share = (
            lambda t0: RECENT_STALL if t0 >= recent else 0.0
        )
        # Most visitors come alone or with family; a group of five or more (集体访) now and then.
        self.petitions.head_count = lambda: self.rng.choice(VISIT_HEADS)
        self.petitions.texts = lambda p, category, kind, name: petition_texts(
            self.petitions, p, category, kind, name
        )


def _converters(model, columns):
    fields = {f.column: f for f in model._meta.concrete_fields}
    ops = connection.ops

    def convert(field):
        if isinstance(field, models.BooleanField):
            return lambda v: v == "t"
        if isinstance(field, models.DateTimeField):
            return lambda v: ops.adapt_datetimefield_value(datetime.datetime.fromisoformat(v))
        if isinstance(field, models.DateField):
            return lambda v: ops.adapt_datefield_value(datetime.date.fromisoformat(v))
        if isinstance(field, models.JSONField):
            return lambda v: field.get_db_prep_save(json.loads(v), connection)
        if isinstance(field, models.DecimalField):
            return lambda v: field.get_db_prep_save(field.to_python(v), connection)
        if isinstance(field, models.IntegerField | models.ForeignKey | models.AutoField):
            return int
        return lambda v: v.replace("\\n", "\n").replace("\\t", "\t")

    return [convert(fields[c]) for c in columns]


class Inserter:
    """COPY lines (benchmarks.scale.rows) -> executemany INSERTs, converted per column type."""

    def __init__(self):
        by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
        self.plan = []
        for key, table, columns in copy_plan():
            if key in SKIPPED_TABLES:
                continue
            keep = [i for i, c in enumerate(columns) if c not in DATABASE_FILLS]
            names = [columns[i] for i in keep]
            self.plan.append((key, table, keep, names, _converters(by_table[table], names), by_table[table]))

    def insert(self, lines: dict):
        with connection.cursor() as cur:
            for key, table, keep, names, convert, _model in self.plan:
                rows = []
                for line in lines.get(key, ()):
                    raw = line.rstrip("\n").split("\t")
                    rows.append(
                        [None if raw[i] == "\\N" else f(raw[i]) for i, f in zip(keep, convert, strict=True)]
                    )
                quoted = ", ".join(connection.ops.quote_name(c) for c in names)
                marks = "(" + ", ".join(["%s"] * len(names)) + ")"
                # Many rows per statement: one round trip per few hundred rows on PostgreSQL.
                size = max(1, min(500, (connection.features.max_query_params or 30000) // len(names)))
                for start in range(0, len(rows), size):
                    part = rows[start : start + size]
                    cur.execute(
                        f"INSERT INTO {table} ({quoted}) VALUES {', '.join([marks] * len(part))}",  # noqa: S608 (model metadata)
                        [value for row in part for value in row],
                    )

    def reset_sequences(self):
        """PostgreSQL: sequences past the explicit ids (SQLite takes max(id) + 1 by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), [m for *_x, m in self.plan])
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)


def _next_id(model) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def load(*, disputes: int, petitions: int, days: int, seed: int) -> DemoGenerator:
    """Generate and insert the cases (the caller holds the transaction)."""
    from benchmarks.scale.load import CHUNK

    get = apps.get_model
    generator = DemoGenerator(
        places=places(), days=days, seed=seed,
        first_person=_next_id(get("cases", "Person")), first_case=_next_id(get("cases", "Case")),
        first_session=_next_id(get("mediation", "MediationSession")),
        counters={(c.county_code, c.year, c.kind): c.last for c in CaseNumberCounter.objects.all()},
    )  # fmt: skip
    inserter = Inserter()
    for kind, count in (("dispute", disputes), ("petition", petitions)):
        for lines in generator.chunks(kind, count, CHUNK):
            inserter.insert(lines)
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(county_code=c, year=y, kind=k, last=last)
         for (c, y, k), last in generator.counters.items()],
        update_conflicts=True, unique_fields=["county_code", "year", "kind"], update_fields=["last"],
    )  # fmt: skip
    inserter.reset_sequences()
    return generator
