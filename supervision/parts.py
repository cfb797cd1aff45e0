"""A reminder digest's parts (supervision.models.DigestPart): what each later batch of a delivery run
adds to the digest its first batch created, written as rows of their own and folded into the
notification once, when the run ends, or — for a run killed before its end — by the next run or
the outbox, before either reads the digest (supervision.digests, supervision.notify).
"""

import json

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.models import DigestPart, Notification

# Digests per statement (ids listed), and rows per statement of titles.
IDS_PER_STATEMENT = 5000
ROWS_PER_STATEMENT = 1000


def add_parts(rows: list[tuple[int, str, list[int], list[int]]]) -> None:
    """One INSERT of this batch's part per digest appended to: (notification id, lines, cases not
    named before, reminder ids). Only new rows: nothing written before is read or written again."""
    if not rows:
        return
    ids, bodies, cases, reminders = zip(*rows, strict=True)
    with connection.cursor() as cur:
        cur.execute(  # the table name from model metadata, every value a parameter
            f"INSERT INTO {connection.ops.quote_name(DigestPart._meta.db_table)} "  # noqa: S608
            "(notification_id, body, case_ids, reminder_ids) "
            "SELECT r.n, r.b, r.c::jsonb, r.r::jsonb FROM unnest(%s::bigint[], %s::text[], %s::text[], "
            "%s::text[]) AS r(n, b, c, r)",
            [list(ids), list(bodies), [json.dumps(c) for c in cases], [json.dumps(r) for r in reminders]],
        )


# Folds a digest's parts into it, in their order: the text and reminder ids appended, the cases
# merged (sorted, each once), read again (what was read did not say what is added). The parts are
# deleted by the same statement: a part is folded exactly once, whoever folds it (a run ending, or a
# later run or the outbox folding what a killed run left).
FOLD = """
WITH gone AS (
    DELETE FROM {part} WHERE notification_id = ANY(%s)
    RETURNING id, notification_id, body, case_ids, reminder_ids
), texts AS (
    SELECT notification_id AS nid, string_agg(body, '' ORDER BY id) AS more FROM gone GROUP BY 1
), rids AS (
    SELECT g.notification_id AS nid, jsonb_agg(e.v ORDER BY g.id, e.o) AS ids
    FROM gone g CROSS JOIN LATERAL jsonb_array_elements(g.reminder_ids) WITH ORDINALITY AS e(v, o)
    GROUP BY 1
), cids AS (
    SELECT g.notification_id AS nid, array_agg(e.v) AS ids
    FROM gone g CROSS JOIN LATERAL jsonb_array_elements(g.case_ids) AS e(v) GROUP BY 1
)
UPDATE {note} n SET body = n.body || t.more,
    reminder_ids = n.reminder_ids || coalesce(r.ids, '[]'::jsonb),
    case_ids = CASE WHEN c.ids IS NULL THEN n.case_ids ELSE (
        SELECT jsonb_agg(DISTINCT x.v ORDER BY x.v) FROM (
            SELECT jsonb_array_elements(n.case_ids) AS v UNION ALL SELECT unnest(c.ids)) x) END,
    read_at = NULL
FROM texts t LEFT JOIN rids r ON r.nid = t.nid LEFT JOIN cids c ON c.nid = t.nid
WHERE n.id = t.nid
RETURNING n.id, jsonb_array_length(n.case_ids)
"""


def fold(ids: list[int]) -> int:
    """Fold the parts of the given digests into them and set their titles (the count of cases):
    one statement per IDS_PER_STATEMENT digests, each reading and writing every digest once,
    plus one for the titles. Returns the digests that had parts."""
    part = connection.ops.quote_name(DigestPart._meta.db_table)
    note = connection.ops.quote_name(Notification._meta.db_table)
    counts = []
    with connection.cursor() as cur:
        for i in range(0, len(ids), IDS_PER_STATEMENT):
            cur.execute(FOLD.format(part=part, note=note), [ids[i : i + IDS_PER_STATEMENT]])
            counts += cur.fetchall()
    for i in range(0, len(counts), ROWS_PER_STATEMENT):
        chunk = counts[i : i + ROWS_PER_STATEMENT]
        titles = [_("Deadline reminders: %(count)d case(s)") % {"count": n} for _pk, n in chunk]
        with connection.cursor() as cur:
            cur.execute(  # the table name from model metadata, every value a parameter
                f"UPDATE {note} SET title = v.title FROM unnest(%s::bigint[], %s::text[]) "  # noqa: S608
                f"AS v(id, title) WHERE {note}.id = v.id",
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
