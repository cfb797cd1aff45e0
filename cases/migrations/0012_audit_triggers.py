"""The timeline becomes tamper-evident and append-only in PostgreSQL itself.

- ``jiefen_timeline_chain`` (BEFORE INSERT, every row, whatever wrote it: ORM, bulk_create, COPY)
  numbers each case's entries 1, 2, 3… and stores row_hash = SHA-256(prev_hash + canonical content),
  under a lock on the case's ``cases_timelinehead`` row, so two transactions cannot fork a chain.
- ``jiefen_audit_append_only`` (BEFORE UPDATE OR DELETE per row, BEFORE TRUNCATE per statement)
  refuses changes. TRUNCATE passes only when the session set ``jiefen.allow_audit_truncate = on``
  (the test suite's flush does, config/settings_test.py); the production app role has no TRUNCATE
  privilege at all (``manage.py harden_db_roles``). The chain head may be updated only from inside
  the chain trigger.
- ``jiefen_protect_audit_table(table, kind)`` installs those two triggers; a later audit table calls
  it in its own migration, and ``harden_db_roles`` finds every protected table by its trigger.

Existing entries are chained first, in (case, time, id) order. The canonical content is the JSON
array [case_id, seq, time in UTC with microseconds, actor_id, action, description, before, after]
as PostgreSQL's jsonb prints it; ``cases.audit.CONTENT_SQL`` (verify_audit) uses the same
expression and hashes it in Python, so the check does not rely on functions stored in the database.
SQLite (the demo) keeps no chain and no triggers.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE FUNCTION jiefen_timeline_row_hash(
    p_prev text, p_case bigint, p_seq integer, p_at timestamptz, p_actor bigint,
    p_action text, p_description text, p_before jsonb, p_after jsonb
) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(p_prev || jsonb_build_array(
        p_case, p_seq, to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        p_actor, p_action, p_description, p_before, p_after)::text, 'UTF8')), 'hex')
$$;

CREATE FUNCTION jiefen_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('jiefen.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND TG_ARGV[0] = 'head' AND pg_trigger_depth() > 1 THEN
        RETURN NEW;  -- the chain trigger moving a chain head
    END IF;
    RAISE EXCEPTION 'jiefen audit: % on % is refused: audit rows are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'docs/architecture.md, "Audit trail"';
END
$$;

CREATE FUNCTION jiefen_protect_audit_table(target regclass, kind text DEFAULT 'log') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER jiefen_append_only BEFORE UPDATE OR DELETE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION jiefen_audit_append_only(%L)', target, kind);
    EXECUTE format('CREATE TRIGGER jiefen_no_truncate BEFORE TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION jiefen_audit_append_only(%L)', target, kind);
END
$$;

-- SECURITY DEFINER: the application role needs no privilege on the chain heads at all.
CREATE FUNCTION jiefen_timeline_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    head_seq integer;
    head_hash text;
    have_head boolean;
BEGIN
    -- Lock order as in cases.transitions.perform: the case row, then its chain head. Taking the
    -- head first could deadlock against a transition that holds the case and waits for the head.
    PERFORM 1 FROM cases_case WHERE id = NEW.case_id FOR KEY SHARE;
    LOOP
        SELECT h.seq, h.hash INTO head_seq, head_hash
        FROM cases_timelinehead h WHERE h.case_id = NEW.case_id FOR UPDATE;
        have_head := FOUND;
        IF have_head THEN
            NEW.seq := head_seq + 1;
            NEW.prev_hash := head_hash;
        ELSE
            NEW.seq := 1;
            NEW.prev_hash := repeat('0', 64);
        END IF;
        NEW.row_hash := jiefen_timeline_row_hash(NEW.prev_hash, NEW.case_id, NEW.seq, NEW.at,
            NEW.actor_id, NEW.action, NEW.description, NEW.before, NEW.after);
        IF have_head THEN
            UPDATE cases_timelinehead SET seq = NEW.seq, hash = NEW.row_hash WHERE case_id = NEW.case_id;
            RETURN NEW;
        END IF;
        INSERT INTO cases_timelinehead (case_id, seq, hash) VALUES (NEW.case_id, NEW.seq, NEW.row_hash)
        ON CONFLICT (case_id) DO NOTHING;
        IF FOUND THEN
            RETURN NEW;
        END IF;
        -- Another transaction started this case's chain first and has committed: follow its head.
    END LOOP;
END
$$;
"""

BACKFILL = r"""
DO $$
DECLARE
    r record;
    current_case bigint := NULL;
    s integer := 0;
    h text;
    prev text;
BEGIN
    FOR r IN SELECT id, case_id, "at", actor_id, action, description, before, after
             FROM cases_timelineentry ORDER BY case_id, "at", id LOOP
        IF current_case IS DISTINCT FROM r.case_id THEN
            IF current_case IS NOT NULL THEN
                INSERT INTO cases_timelinehead (case_id, seq, hash) VALUES (current_case, s, h);
            END IF;
            current_case := r.case_id;
            s := 0;
            h := repeat('0', 64);
        END IF;
        s := s + 1;
        prev := h;
        h := jiefen_timeline_row_hash(prev, r.case_id, s, r."at", r.actor_id, r.action, r.description,
                                      r.before, r.after);
        UPDATE cases_timelineentry SET seq = s, prev_hash = prev, row_hash = h WHERE id = r.id;
    END LOOP;
    IF current_case IS NOT NULL THEN
        INSERT INTO cases_timelinehead (case_id, seq, hash) VALUES (current_case, s, h);
    END IF;
END
$$;
"""

TRIGGERS = r"""
CREATE TRIGGER jiefen_chain BEFORE INSERT ON cases_timelineentry
    FOR EACH ROW EXECUTE FUNCTION jiefen_timeline_chain();
SELECT jiefen_protect_audit_table('cases_timelineentry', 'log');
SELECT jiefen_protect_audit_table('cases_timelinehead', 'head');
"""

DROP = r"""
DROP TRIGGER IF EXISTS jiefen_chain ON cases_timelineentry;
DROP TRIGGER IF EXISTS jiefen_append_only ON cases_timelineentry;
DROP TRIGGER IF EXISTS jiefen_no_truncate ON cases_timelineentry;
DROP TRIGGER IF EXISTS jiefen_append_only ON cases_timelinehead;
DROP TRIGGER IF EXISTS jiefen_no_truncate ON cases_timelinehead;
DELETE FROM cases_timelinehead;
UPDATE cases_timelineentry SET seq = 0, prev_hash = '', row_hash = '';
DROP FUNCTION IF EXISTS jiefen_timeline_chain();
DROP FUNCTION IF EXISTS jiefen_protect_audit_table(regclass, text);
DROP FUNCTION IF EXISTS jiefen_audit_append_only();
DROP FUNCTION IF EXISTS jiefen_timeline_row_hash(
    text, bigint, integer, timestamptz, bigint, text, text, jsonb, jsonb);
"""


def _run(*scripts):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for script in scripts:
                cursor.execute(script)  # no parameters: the % in format() stays as written

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_timeline_chain")]

    operations = [migrations.RunPython(_run(FUNCTIONS, BACKFILL, TRIGGERS), _run(DROP))]
