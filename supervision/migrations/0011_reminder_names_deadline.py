"""A reminder names a deadline that exists: checked once per statement instead of once per row.

The foreign key of cases_reminder.deadline_id checked every inserted reminder at COMMIT, one lookup
and one row lock (KEY SHARE, written to the WAL) on its deadline each: 4.5 of the 8.9 s the scan of
a million due deadlines took (docs/performance.md, "The deadline scan's foreign key"). On
PostgreSQL the guarantee is now kept by triggers, with the same outcome as the key's NO ACTION:

- an INSERT of reminders fails at its end (foreign_key_violation) if one of them names no deadline:
  one anti-join of the statement's new rows against the deadlines;
- a reminder's deadline never changes (a row trigger, only when deadline_id is in the UPDATE);
- a DELETE of deadlines fails at its end if a reminder still names one of them, and so does a
  change of a deadline's id (Django's cascade deletes the reminders first, as it must for databases
  that check keys at once);
- what the key's row locks did against a deadline deleted while reminders for it are being written
  is done by one advisory lock (DEADLINE_NAMED): writers of reminders take it shared in their
  check, a deleter of deadlines takes it exclusively before its own. Whichever comes second waits
  for the other to commit and then, in a new snapshot (READ COMMITTED, Django's level), sees its
  rows: the reminder's check finds the deadline gone, or the deletion finds the reminder.

SQLite (the embedded demo) keeps the key as it was: only the state says db_constraint=False.
"""

import django.db.models.deletion
from django.db import migrations, models

# pg_advisory_xact_lock's key for the deadline a reminder names ("JIEG"; the scan's turn is "JIEF",
# supervision.reminders.SCAN_LOCK).
DEADLINE_NAMED = 0x4A494547

FORWARD = f"""
DO $$
DECLARE
    name text;
BEGIN
    FOR name IN SELECT conname FROM pg_constraint
                WHERE conrelid = 'cases_reminder'::regclass AND contype = 'f'
                  AND confrelid = 'cases_deadline'::regclass
    LOOP
        EXECUTE format('ALTER TABLE cases_reminder DROP CONSTRAINT %I', name);
    END LOOP;
END $$;

CREATE FUNCTION cases_reminder_names_deadline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared({DEADLINE_NAMED});
    IF EXISTS (SELECT 1 FROM written w
               WHERE NOT EXISTS (SELECT 1 FROM cases_deadline d WHERE d.id = w.deadline_id)) THEN
        RAISE EXCEPTION 'cases_reminder: a reminder names a deadline that does not exist'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_reminder_names_deadline
    AFTER INSERT ON cases_reminder REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION cases_reminder_names_deadline();

-- A key the check relies on does not change (the trigger's argument says which).
CREATE FUNCTION cases_reminder_key_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%: %', TG_TABLE_NAME, TG_ARGV[0] USING ERRCODE = 'foreign_key_violation';
END $$;
CREATE TRIGGER cases_reminder_keeps_deadline
    BEFORE UPDATE OF deadline_id ON cases_reminder FOR EACH ROW
    WHEN (OLD.deadline_id IS DISTINCT FROM NEW.deadline_id)
    EXECUTE FUNCTION cases_reminder_key_unchanged('a reminder''s deadline does not change');

CREATE FUNCTION cases_deadline_named_by_reminders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM gone) THEN
        PERFORM pg_advisory_xact_lock({DEADLINE_NAMED});
        IF EXISTS (SELECT 1 FROM gone g JOIN cases_reminder r ON r.deadline_id = g.id) THEN
            RAISE EXCEPTION 'cases_deadline: a reminder still names the deadline'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_deadline_named_by_reminders
    AFTER DELETE ON cases_deadline REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION cases_deadline_named_by_reminders();

CREATE TRIGGER cases_deadline_keeps_id
    BEFORE UPDATE OF id ON cases_deadline FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION cases_reminder_key_unchanged('a deadline''s id does not change');
"""

BACKWARD = """
DROP TRIGGER IF EXISTS cases_deadline_keeps_id ON cases_deadline;
DROP TRIGGER IF EXISTS cases_deadline_named_by_reminders ON cases_deadline;
DROP TRIGGER IF EXISTS cases_reminder_keeps_deadline ON cases_reminder;
DROP TRIGGER IF EXISTS cases_reminder_names_deadline ON cases_reminder;
DROP FUNCTION IF EXISTS cases_deadline_named_by_reminders();
DROP FUNCTION IF EXISTS cases_reminder_key_unchanged();
DROP FUNCTION IF EXISTS cases_reminder_names_deadline();
ALTER TABLE cases_reminder ADD CONSTRAINT cases_reminder_deadline_id_706f922d_fk_cases_deadline_id
    FOREIGN KEY (deadline_id) REFERENCES cases_deadline (id) DEFERRABLE INITIALLY DEFERRED;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0010_digest_chunk")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reminder",
                    name="deadline",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="cases.deadline",
                    ),
                )
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
