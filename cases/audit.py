"""The audit trail's integrity: verifying the timeline hash chains, finding the protected tables.

PostgreSQL does the writing (cases migration 0012): each case's entries form a chain
seq 1, 2, 3… where row_hash = SHA-256(prev_hash + canonical content) and the first prev_hash is 64
zeros; ``cases_timelinehead`` holds each chain's last link. Here the chains are walked again: the
content is serialised by PostgreSQL's own jsonb (the same expression as the trigger's, written out
below rather than calling the function stored in the database) and hashed in Python.

Why one chain per case rather than one global chain: a writer must hold the chain's head until its
transaction commits, or two transactions would link to the same predecessor. A global head would
make every transition in the province wait for the slowest open transaction that wrote an entry (an
import of 10,000 rows holds it for its 20 s); a transition already holds its case row, so a per-case
head costs no new waiting. A chain per case detects a changed, inserted or removed entry; entries cut
off the end of a chain show as a mismatch with its head row; the heads themselves, like everything in
the database, are only as safe as the superuser — hence the off-box copy of the digest printed here.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import connection

GENESIS = "0" * 64
CONTENT_SQL = (
    'jsonb_build_array(case_id, seq, to_char("at" AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\'), '
    'actor_id, action, description, "before", "after")::text'
)
# Name of the trigger jiefen_protect_audit_table() installs; harden_db_roles finds audit tables by it.
PROTECT_TRIGGER = "jiefen_append_only"


@dataclass(frozen=True)
class Break:
    case_id: int
    seq: int | None
    entry_id: int | None
    reason: str

    def describe(self) -> str:
        where = f"case {self.case_id}" + (
            f", entry {self.entry_id} (seq {self.seq})" if self.entry_id else ""
        )
        return f"{where}: {self.reason}"


@dataclass
class Report:
    entries: int = 0
    chains: int = 0
    breaks: list[Break] = field(default_factory=list)  # the first ones found
    broken: int = 0  # all of them
    heads_digest: str = ""

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> Break | None:
        return min(self.breaks, key=lambda b: (b.case_id, b.seq or 0)) if self.breaks else None


def entry_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def verify(*, keep: int = 100) -> Report:
    """Walk every chain in (case, seq) order; keep the first ``keep`` breaks (and count them all)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the timeline hash chain is kept by PostgreSQL triggers; this database has none")
    report = Report()

    def broken(item: Break):
        report.broken += 1
        if len(report.breaks) < keep:
            report.breaks.append(item)

    case_id, expect_seq, expect_prev = None, 1, GENESIS
    with connection.chunked_cursor() as cur:
        cur.execute(
            f"SELECT id, case_id, seq, prev_hash, row_hash, {CONTENT_SQL} FROM cases_timelineentry "  # noqa: S608 (constants)
            "ORDER BY case_id, seq, id"
        )
        while rows := cur.fetchmany(5000):
            for entry_id, row_case, seq, prev_hash, row_hash, content in rows:
                report.entries += 1
                if row_case != case_id:
                    case_id, expect_seq, expect_prev = row_case, 1, GENESIS
                    report.chains += 1
                if seq != expect_seq:
                    what = "missing before it" if seq > expect_seq else "numbered twice or out of the chain"
                    broken(Break(row_case, seq, entry_id, f"expected seq {expect_seq}: an entry is {what}"))
                elif prev_hash != expect_prev:
                    broken(
                        Break(row_case, seq, entry_id, "prev_hash does not match the previous entry's hash")
                    )
                if entry_hash(prev_hash, content) != row_hash:
                    broken(Break(row_case, seq, entry_id, "content changed: its hash no longer matches"))
                expect_seq, expect_prev = seq + 1, row_hash
    heads = _head_mismatches()  # always kept, so ``first`` is right even when the walk's were cut
    report.breaks += heads
    report.broken += len(heads)
    report.heads_digest = _heads_digest()
    return report


def _head_mismatches() -> list[Break]:
    """Chains whose last entry is not the one their head row records: entries cut off the end, a
    chain without a head, or a head without entries."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT coalesce(h.case_id, e.case_id), h.seq, e.seq, e.id
            FROM cases_timelinehead h
            FULL JOIN (SELECT DISTINCT ON (case_id) case_id, seq, row_hash, id FROM cases_timelineentry
                       ORDER BY case_id, seq DESC, id DESC) e ON e.case_id = h.case_id
            WHERE h.seq IS DISTINCT FROM e.seq OR h.hash IS DISTINCT FROM e.row_hash
            ORDER BY 1
            """
        )
        return [
            Break(
                case_id,
                last_seq,
                entry_id,
                f"the chain ends at seq {last_seq} but its head records seq {head_seq}"
                if head_seq != last_seq
                else "the last entry's hash differs from its head's",
            )
            for case_id, head_seq, last_seq, entry_id in cur.fetchall()
        ]


def _heads_digest() -> str:
    """SHA-256 over every chain head, to copy off the machine: a later verify that prints a
    different digest for the same heads means the database was rewritten in between."""
    digest = hashlib.sha256()
    with connection.chunked_cursor() as cur:
        cur.execute("SELECT case_id, seq, hash FROM cases_timelinehead ORDER BY case_id")
        while rows := cur.fetchmany(10000):
            for case_id, seq, head in rows:
                digest.update(f"{case_id}:{seq}:{head}\n".encode())
    return digest.hexdigest()


def protected_tables() -> list[str]:
    """Tables that carry the append-only trigger: the timeline, its heads, and any audit table a
    later migration protected with jiefen_protect_audit_table()."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s ORDER BY 1",
            [PROTECT_TRIGGER],
        )
        return [row[0] for row in cur.fetchall()]
