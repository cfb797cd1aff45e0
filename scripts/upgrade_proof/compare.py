"""Compare two fingerprints (before.json after.json): every table keeps every row unchanged except the
migration bookkeeping; content types keep their ids and only the moved models change app."""

import json
import sys

MOVED = {
    "cases.dispute": "mediation.dispute",
    "cases.disputecategory": "mediation.disputecategory",
    "cases.risklevel": "mediation.risklevel",
    "cases.reminder": "supervision.reminder",
    "cases.notification": "supervision.notification",
    "cases.supervisionorder": "supervision.supervisionorder",
    "cases.scanrun": "supervision.scanrun",
    "cases.job": "jobs.job",
    "cases.workerheartbeat": "jobs.workerheartbeat",
}
EXPECTED_TO_CHANGE = {"django_migrations", "django_content_type"}

before, after = (json.load(open(p)) for p in sys.argv[1:3])
problems = []
for table, (count, digest) in before["tables"].items():
    if table not in after["tables"]:
        problems.append(f"{table}: gone")
    elif table not in EXPECTED_TO_CHANGE and after["tables"][table] != [count, digest]:
        problems.append(f"{table}: {count} rows {digest} -> {after['tables'][table]}")
for table in set(after["tables"]) - set(before["tables"]):
    problems.append(f"{table}: new table")
for ct_id, label in before["content_types"].items():
    want = MOVED.get(label, label)
    if after["content_types"].get(ct_id) != want:
        problems.append(
            f"content type {ct_id}: {label} -> {after['content_types'].get(ct_id)} (wanted {want})"
        )
if before["grants"] != after["grants"]:
    problems.append(f"grants: {before['grants']} -> {after['grants']}")
rows = sum(c for c, _ in before["tables"].values())
print(
    f"{len(before['tables'])} tables, {rows} rows compared; {len(before['content_types'])} content types; "
    f"grants {before['grants']}"
)
print("\n".join(problems) or "identical: every row, grant and content type kept (moved models renamed)")
sys.exit(1 if problems else 0)
