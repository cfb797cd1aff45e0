"""Print a JSON fingerprint of the database: every table's row count and an md5 over its rows, the
content types, and what the ORM of the running code reads. Run it before and after the migration with
each checkout's manage.py shell; compare.py says what differs."""

import json
import os

from django.db import connection

out = {"tables": {}, "content_types": {}}
with connection.cursor() as cur:
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    for (table,) in cur.fetchall():
        cur.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
        )
        count, digest = cur.fetchone()
        out["tables"][table] = [count, digest]
    cur.execute("SELECT id, app_label, model FROM django_content_type ORDER BY id")
    out["content_types"] = {str(i): f"{a}.{m}" for i, a, m in cur.fetchall()}
    cur.execute(
        "SELECT ct.app_label || '.' || ct.model, p.codename, count(*) FROM cases_casegroupobjectpermission g"
        " JOIN auth_permission p ON p.id = g.permission_id JOIN django_content_type ct ON ct.id = p.content_type_id"
        " GROUP BY 1, 2 ORDER BY 1, 2"
    )
    out["grants"] = [list(r) for r in cur.fetchall()]
with open(os.environ["FINGERPRINT_OUT"], "w") as fh:
    json.dump(out, fh, indent=1, sort_keys=True)
print("tables", len(out["tables"]), "rows", sum(c for c, _ in out["tables"].values()))
