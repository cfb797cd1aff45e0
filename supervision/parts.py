"""A reminder digest's parts (supervision.models.DigestPart, DigestChunk): what each later batch of
a delivery run adds to the digests its first batch created, written as rows of their own and folded
into the notifications once, when the run ends, or — for a run killed before its end — by the next
run or the outbox, before either reads the digest (supervision.digests, supervision.notify). The
lines a batch addresses to one list of people (a unit's members) are written once, as a chunk, and
each of their digests points at it.
"""

import json

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.models import DigestChunk, DigestPart, Notification
from supervision.pglocal import set_local

# Digests per statement (ids listed), and rows per statement of titles.
IDS_PER_STATEMENT = 5000
ROWS_PER_STATEMENT = 1000

# The chunks and, in the same statement, the parts pointing at them (a chunk's id drawn from its
# sequence first, so that the parts can name it): two INSERTs of unnested arrays, nothing read back.
ADD = """
WITH chunk AS (
    SELECT u.o, nextval(pg_get_serial_sequence(%(chunks)s, 'id')) AS id, u.b, u.c, u.r
    FROM unnest(%(bodies)s::text[], %(cases)s::text[], %(reminders)s::text[]) WITH ORDINALITY AS u(b, c, r, o)
), written AS (
    INSERT INTO {chunk} (id, body, case_ids, reminder_ids) SELECT id, b, c::jsonb, r::jsonb FROM chunk
)
INSERT INTO {part} (notification_id, chunk_id, case_ids)
SELECT p.n, chunk.id, p.c::jsonb
FROM unnest(%(notes)s::bigint[], %(which)s::bigint[], %(own)s::text[]) WITH ORDINALITY AS p(n, k, c, o)
JOIN chunk ON chunk.o = p.k
ORDER BY p.o
"""


def add_parts(
    chunks: list[tuple[str, list[int], list[int]]], parts: list[tuple[int, int, list | None]]
) -> None:
    """One statement for this batch: its ``chunks`` (lines, cases, reminder ids), each written once
    for everyone it is addressed to, and the ``parts`` of the digests appended to, in their order:
    (notification id, the chunk's place in ``chunks`` from 1, the cases the digest names first when
    they are not all the chunk's, else None). Only new rows: nothing written before is read or
    written again."""
    if not parts:
        return
    bodies, cases, reminders = zip(*chunks, strict=True)
    notes, which, own = zip(*parts, strict=True)
    quote = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(  # table names from model metadata, every value a parameter
            ADD.format(chunk=quote(DigestChunk._meta.db_table), part=quote(DigestPart._meta.db_table)),
            {"chunks": DigestChunk._meta.db_table, "bodies": list(bodies),
             "cases": [json.dumps(c) for c in cases], "reminders": [json.dumps(r) for r in reminders],
             "notes": list(notes), "which": list(which),
             "own": [None if c is None else json.dumps(c) for c in own]},
        )  # fmt: skip


# Folds a digest's parts into it, in their order: the chunks' text, reminder ids and cases appended,
# the digest unread again (what was read did not say what is added). The parts are deleted by the
# same statement: a part is folded exactly once, whoever folds it (a run ending, or a later run or
# the outbox folding what a killed run left); a chunk goes with its last part (DROP_FOLDED). Each
# part names only cases its digest did not name before (DigestRun.add), so the cases are appended,
# not merged: a digest lists each case once. The jsonb arrays are joined as text, part by part
# (~20 a digest), never taken apart into their elements (~700,000 in a run of 100,000 reminders),
# which sorted and hashed them all again (docs/performance.md).
FOLD = """
WITH gone AS (
    DELETE FROM {part} WHERE notification_id = ANY(%s)
    RETURNING id, notification_id, chunk_id, case_ids
), joined AS (
    SELECT g.notification_id AS nid, string_agg(k.body, '' ORDER BY g.id) AS more,
        string_agg(btrim(k.reminder_ids::text, '[]'), ', ' ORDER BY g.id)
            FILTER (WHERE k.reminder_ids <> '[]'::jsonb) AS rids,
        string_agg(btrim(coalesce(g.case_ids, k.case_ids)::text, '[]'), ', ' ORDER BY g.id)
            FILTER (WHERE coalesce(g.case_ids, k.case_ids) <> '[]'::jsonb) AS cids
    FROM gone g JOIN {chunk} k ON k.id = g.chunk_id
    GROUP BY 1
)
UPDATE {note} n SET body = n.body || j.more,
    reminder_ids = CASE WHEN j.rids IS NULL THEN n.reminder_ids
                        ELSE n.reminder_ids || ('[' || j.rids || ']')::jsonb END,
    case_ids = CASE WHEN j.cids IS NULL THEN n.case_ids ELSE n.case_ids || ('[' || j.cids || ']')::jsonb END,
    read_at = NULL
FROM joined j
WHERE n.id = j.nid
RETURNING n.id, jsonb_array_length(n.case_ids)
"""

# Chunks no part points at any more. Only chunks folded away: a chunk is written in the statement
# that writes its parts, so none is ever committed without them.
DROP_FOLDED = "DELETE FROM {chunk} k WHERE NOT EXISTS (SELECT 1 FROM {part} p WHERE p.chunk_id = k.id)"

# The planner takes the deleted parts for millions of rows: without these it compiles the
# statement (JIT, ~0.4 s, more than the statement takes) and sorts the parts' text on disk.
FOLD_SETTINGS = {"jit": "off", "work_mem": "256MB"}


def fold(ids: list[int]) -> int:
    """Fold the parts of the given digests into them and set their titles (the count of cases):
    one statement per IDS_PER_STATEMENT digests, each reading and writing every digest once,
    plus one for the titles. Returns the digests that had parts."""
    quote = connection.ops.quote_name
    tables = {"part": quote(DigestPart._meta.db_table), "note": quote(Notification._meta.db_table),
              "chunk": quote(DigestChunk._meta.db_table)}  # fmt: skip
    counts = []
    with transaction.atomic(), connection.cursor() as cur:
        set_local(cur, FOLD_SETTINGS)
        for i in range(0, len(ids), IDS_PER_STATEMENT):
            cur.execute(FOLD.format(**tables), [ids[i : i + IDS_PER_STATEMENT]])
            counts += cur.fetchall()
        cur.execute(DROP_FOLDED.format(**tables))
    for i in range(0, len(counts), ROWS_PER_STATEMENT):
        chunk = counts[i : i + ROWS_PER_STATEMENT]
        titles = [_("Deadline reminders: %(count)d case(s)") % {"count": n} for _pk, n in chunk]
        with connection.cursor() as cur:
            cur.execute(  # the table name from model metadata, every value a parameter
                f"UPDATE {tables['note']} SET title = v.title FROM unnest(%s::bigint[], %s::text[]) "  # noqa: S608
                f"AS v(id, title) WHERE {tables['note']}.id = v.id",
                [[pk for pk, _n in chunk], titles],
            )
    return len(counts)


def fold_leftovers() -> int:
    """Fold what killed runs left: the parts of digests no live run holds any more (a live run
    renews its hold). Called before a run and before the outbox sends; one statement when there is
    nothing to fold."""
    if connection.vendor != "postgresql":
        return 0
    ids = list(
        DigestPart.objects.filter(
            Q(notification__held_until__isnull=True) | Q(notification__held_until__lte=timezone.now())
        )
        .values_list("notification_id", flat=True)
        .distinct()
    )
    return fold(ids) if ids else 0
