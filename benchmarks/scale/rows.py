"""One generated case → the COPY lines of every table it touches.

Each case is simulated event by event (register, accept, mediate, agree, follow up, archive; or
register, accept, reply, finalise) from its opening time, and cut at "now": whatever happened
before now is stored (timeline entries, met deadlines, sessions, agreement), whatever would happen
later is not, so recent cases are open at a realistic stage. A few per cent stall and stay open
past their due date (the overdue figures). Deadlines are computed with the real rules and working-
day calendar (``cases.deadlines.compute_due``), cached per rule and start day.

Times are integers: seconds since local midnight of the first day (Asia/Shanghai, UTC+8 with no
daylight saving), formatted for COPY as ``YYYY-MM-DD HH:MM:SS+08``.
"""

import datetime
import hashlib
from collections import defaultdict

from cases.calendar import WorkCalendar
from cases.deadlines import compute_due, rule_for

DAY = 86400
HOUR = 3600
DEADLINE_COLUMNS = (
    "case_id", "rule_id", "start_date", "due_date", "due_at", "estimated", "extended_days",
    "computation", "state", "met_at", "met_on_time", "elapsed_days", "created_at",
)  # fmt: skip
TIMELINE_COLUMNS = (
    "case_id", "at", "actor_id", "action", "description", "before", "after", "seq", "prev_hash", "row_hash",
)  # fmt: skip
HEAD_COLUMNS = ("case_id", "seq", "hash")
GENESIS = "0" * 64
CASE_COLUMNS = (
    "id", "kind", "number", "summary", "status", "opened_at", "closed_at", "next_due_at", "created_at",
    "updated_at", "handler_id", "handling_unit_id", "region_id", "withheld_from_unit_id",
)  # fmt: skip
# The party link with the details given on the case (people.PeopleMaker.DETAIL_COLUMNS).
PARTY_COLUMNS = (
    "case_id", "person_id", "role", "position",
    "is_organisation", "name", "id_number", "id_number_digest", "credit_code", "gender", "phone",
    "phone_digest", "address",
)  # fmt: skip


def n(value) -> str:
    """COPY text format: None is \\N."""
    return "\\N" if value is None else str(value)


class Clock:
    """Integer times from the local midnight of ``first`` for ``days`` days (and a margin after)."""

    def __init__(self, first: datetime.date, days: int):
        self.first = first
        self.dates = [first + datetime.timedelta(days=d) for d in range(days + 800)]
        self.day_text = [d.isoformat() for d in self.dates]

    def utc(self, t: int) -> str:
        """The audit chain's time format (cases.audit.CONTENT_SQL): UTC with microseconds."""
        t -= 8 * HOUR
        s = t % DAY
        return f"{self.day_text[t // DAY]}T{s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000Z"

    def ts(self, t: int) -> str:
        s = t % DAY
        return f"{self.day_text[t // DAY]} {s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}+08"

    def day_index(self, d: datetime.date) -> int:
        return (d - self.first).days


class Deadlines:
    """Due dates from the real rules, cached per (rule, start day)."""

    def __init__(self, clock: Clock):
        self.clock = clock
        self.calendar = WorkCalendar()
        self.rules = {}
        self.cache = {}

    def due(self, code: str, start_day: int) -> tuple[int, int, bool, str]:
        key = (code, start_day)
        found = self.cache.get(key)
        if found is None:
            rule = self.rules.get(code) or self.rules.setdefault(code, rule_for(code))
            due, text = compute_due(rule, self.clock.dates[start_day], calendar=self.calendar)
            found = (rule.pk, self.clock.day_index(due.date), due.estimated, text[:300].replace("\t", " "))
            self.cache[key] = found
        return found


class Tables:
    """COPY lines per table for one chunk of cases."""

    def __init__(self):
        self.lines = defaultdict(list)

    def add(self, table: str, line: str):
        self.lines[table].append(line)


class CaseWriter:
    """Shared by both case types: the case row, deadlines, timeline, parties."""

    def __init__(self, clock: Clock, deadlines: Deadlines, tables: Tables, now: int):
        self.clock, self.deadlines, self.tables, self.now = clock, deadlines, tables, now

    def begin(self, case_id: int):
        self.case_id = case_id
        self.open_due: list[int] = []
        self.pending: dict[str, tuple] = {}
        self.last_event = 0
        self.seq, self.prev_hash = 0, GENESIS

    def event(self, t: int, actor, action: str, description: str, before: str, after: str, extra=""):
        """A timeline entry; returns False (and records nothing) when ``t`` lies in the future."""
        if t > self.now:
            return False
        # jsonb prints object keys shorter first: {"route": …, "status": …}. ``extra`` is such a key.
        after_json = f'{{{extra}"status": "{after}"}}'
        before_json = f'{{"status": "{before}"}}' if before else "null"
        # The audit chain (cases migration 0012), computed here as the trigger would: the loader
        # switches the per-row trigger off for the bulk load, in the same transaction.
        self.seq += 1
        content = (
            f'[{self.case_id}, {self.seq}, "{self.clock.utc(t)}", {"null" if actor is None else actor}, '
            f'"{action}", "{description}", {before_json}, {after_json}]'
        )
        row_hash = hashlib.sha256((self.prev_hash + content).encode()).hexdigest()
        before_copy = "\\N" if before_json == "null" else before_json
        self.tables.add(
            "timeline",
            f"{self.case_id}\t{self.clock.ts(t)}\t{n(actor)}\t{action}\t{description}\t{before_copy}\t"
            f"{after_json}\t{self.seq}\t{self.prev_hash}\t{row_hash}\n",
        )
        self.prev_hash = row_hash
        self.last_event = t
        return True

    def end(self):
        """The chain head of the case just written."""
        if self.seq:
            self.tables.add("timeline_head", f"{self.case_id}\t{self.seq}\t{self.prev_hash}\n")

    def open_deadline(self, code: str, t: int):
        start = t // DAY
        self.pending[code] = (start, t, *self.deadlines.due(code, start))

    def close_deadline(self, code: str, t: int, state: str = "met"):
        start, created, rule_id, due_day, estimated, text = self.pending.pop(code)
        met_day = t // DAY
        ts = self.clock.ts
        if state == "met":
            met = f"{ts(t)}\t{'t' if met_day <= due_day else 'f'}\t{met_day - start}"
        else:
            met = "\\N\t\\N\t\\N"
        self._deadline_line(start, created, rule_id, due_day, estimated, text, state, met)

    def flush_open_deadlines(self) -> str:
        """Store the deadlines still open; returns the case's next_due_at for COPY."""
        nearest = None
        for start, created, rule_id, due_day, estimated, text in self.pending.values():
            self._deadline_line(start, created, rule_id, due_day, estimated, text, "open", "\\N\t\\N\t\\N")
            nearest = due_day if nearest is None else min(nearest, due_day)
        self.pending = {}
        return "\\N" if nearest is None else f"{self.clock.day_text[nearest]} 23:59:59+08"

    def _deadline_line(self, start, created, rule_id, due_day, estimated, text, state, met):
        c = self.clock
        self.tables.add(
            "deadline",
            f"{self.case_id}\t{rule_id}\t{c.day_text[start]}\t{c.day_text[due_day]}\t"
            f"{c.day_text[due_day]} 23:59:59+08\t{'t' if estimated else 'f'}\t0\t{text}\t{state}\t{met}\t"
            f"{c.ts(created)}\n",
        )

    def party(self, party, role: str, position: int):
        """A party link of the current case: people.Party's register id and details."""
        self.tables.add("party", f"{self.case_id}\t{party.pid}\t{role}\t{position}\t{party.details}\n")

    def case_row(
        self, kind, number, summary, status, opened, closed, next_due, handler, unit, region, withheld
    ):
        ts = self.clock.ts
        updated = ts(max(self.last_event, opened))
        self.tables.add(
            "case",
            f"{self.case_id}\t{kind}\t{number}\t{summary}\t{status}\t{ts(opened)}\t"
            f"{ts(closed) if closed is not None else chr(92) + 'N'}\t{next_due}\t{ts(opened)}\t{updated}\t"
            f"{n(handler)}\t{n(unit)}\t{region}\t{n(withheld)}\n",
        )
        self.end()
