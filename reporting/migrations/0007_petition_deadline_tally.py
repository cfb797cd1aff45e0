"""The deadline tally (reporting.models.PetitionDeadlineTally): the five deadline figures of a
month that has passed, kept on write, as reporting.petition_passes.deadline_counts counts them live
(its deadline_conditions and the holders of _holding).

A figure counts a petition in a month when one of its deadlines counts in that month and the
petition can hold a deadline then. Both are sets of whole months, kept as datemultiranges: a
deadline's notice/handling figures count it in its due month, "overdue at the month's end" from its
due month to before the month it was met (open while unmet); the petition holds deadlines from the
month it was received, up to the month of its closing plus 200 days (PREFILTER_MARGIN_DAYS), and in
the months a §36 follow-up is pending. Every moment is cut into months in Asia/Shanghai.

reporting_petition_deadline_months keeps each petition's months as last counted; any change to its
deadlines (one statement at a time, from the transition tables), its petition's dates or its case's
place, withholding or closing recounts it: out as it was, in as it is, into the tally, in the
changing transaction. PostgreSQL only, as 0005; filled from the deadlines already there under the
same locks. reporting.petition_tally.REFILL holds the same fill for the scale seeder.
"""

import reporting.models
from django.db import migrations, models



FUNCTIONS = """
-- One deadline's months for each figure (NULL: none), before its petition's holding months.
CREATE FUNCTION reporting_deadline_months(
    code varchar, state varchar, due date, met timestamptz, on_time boolean, replied date)
RETURNS TABLE (anything daterange, notice_due daterange, notice_on_time daterange, handle_due daterange,
               handle_on_time daterange, overdue daterange, followup daterange)
LANGUAGE sql STABLE ROWS 1 AS $$
    SELECT
        CASE WHEN counted THEN daterange(due_m, CASE WHEN met_m IS NOT NULL THEN greatest(next_m, met_m) END) END,
        CASE WHEN counted AND code = 'petition_notice' THEN due_in END,
        CASE WHEN counted AND code = 'petition_notice' AND on_time THEN due_in END,
        CASE WHEN counted AND code = 'petition_handle' AND (state <> 'met' OR replied IS NOT NULL)
             THEN due_in END,
        CASE WHEN counted AND code = 'petition_handle' AND replied IS NOT NULL AND on_time THEN due_in END,
        CASE WHEN counted AND (met_m IS NULL OR met_m > due_m) THEN daterange(due_m, met_m) END,
        CASE WHEN code = 'petition_review_followup' AND (met_m IS NULL OR (met_m + interval '1 month')::date > due_m)
             THEN daterange(due_m, (met_m + interval '1 month')::date) END
    FROM (
        SELECT due_m, (due_m + interval '1 month')::date AS next_m, met_m,
               daterange(due_m, (due_m + interval '1 month')::date) AS due_in,
               code IN ('petition_route', 'petition_notice', 'petition_handle', 'petition_review',
                        'petition_rereview', 'petition_assigned_report', 'petition_review_followup')
                   AND state <> 'cancelled' AS counted
        FROM (SELECT date_trunc('month', due)::date AS due_m,
                     date_trunc('month', met AT TIME ZONE 'Asia/Shanghai')::date AS met_m) AS m
    ) AS d
$$;
-- The months a petition can hold a deadline the figures count: from the month received; up to
-- the month its closing date plus 200 days falls in, or while a follow-up is pending.
CREATE FUNCTION reporting_petition_held_months(received date, closed timestamptz, followups datemultirange)
RETURNS datemultirange LANGUAGE sql STABLE AS $$
    SELECT datemultirange(daterange(date_trunc('month', received)::date, NULL))
        * (datemultirange(daterange(NULL, (date_trunc(
               'month', (closed AT TIME ZONE 'Asia/Shanghai')::date + 200) + interval '1 month')::date))
           + coalesce(followups, '{}'::datemultirange))
$$;
-- The petitions' months as they are now (no row: no deadline), in one pass over their deadlines.
CREATE VIEW reporting_petition_deadline_months_now AS
SELECT petition_id, county, withheld_from_unit_id, held * anything AS anything,
       held * notice_due AS notice_due, held * notice_on_time AS notice_on_time,
       held * handle_due AS handle_due, held * handle_on_time AS handle_on_time, held * overdue AS overdue
FROM (
    SELECT p.case_ptr_id AS petition_id, substr(c.region_id, 1, 6)::varchar AS county,
           c.withheld_from_unit_id,
           reporting_petition_held_months(p.received_on, c.closed_at, range_agg(m.followup)) AS held,
           coalesce(range_agg(m.anything), '{}') AS anything,
           coalesce(range_agg(m.notice_due), '{}') AS notice_due,
           coalesce(range_agg(m.notice_on_time), '{}') AS notice_on_time,
           coalesce(range_agg(m.handle_due), '{}') AS handle_due,
           coalesce(range_agg(m.handle_on_time), '{}') AS handle_on_time,
           coalesce(range_agg(m.overdue), '{}') AS overdue
    FROM petitions_petition p JOIN cases_case c ON c.id = p.case_ptr_id
        JOIN cases_deadline d ON d.case_id = p.case_ptr_id JOIN cases_deadlinerule r ON r.id = d.rule_id,
        LATERAL reporting_deadline_months(r.code, d.state, d.due_date, d.met_at, d.met_on_time, p.replied_on) AS m
    GROUP BY p.case_ptr_id, c.region_id, c.withheld_from_unit_id, c.closed_at, p.received_on
) AS g;
-- A petition's months as tally rows.
CREATE FUNCTION reporting_petition_deadline_spans(f reporting_petition_deadline_months)
RETURNS TABLE (county varchar, withheld_from_unit_id bigint, dimension varchar, lo date, hi date)
LANGUAGE sql IMMUTABLE AS $$
    SELECT f.county, f.withheld_from_unit_id, v.dimension::varchar, lower(r), upper(r)
    FROM (VALUES ('any', f.anything), ('notice_due', f.notice_due), ('notice_on_time', f.notice_on_time),
                 ('handle_due', f.handle_due), ('handle_on_time', f.handle_on_time), ('overdue', f.overdue)
         ) AS v(dimension, months), LATERAL unnest(v.months) AS r
    WHERE f.county IS NOT NULL
$$;
-- Count one petition again: out as it was last counted, in as it is. Its row is locked first (a
-- placeholder while it has none), so two transactions recount a petition one after the other,
-- the second from what the first committed.
CREATE FUNCTION reporting_petition_deadline_recount(pid bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    was reporting_petition_deadline_months;
    fresh reporting_petition_deadline_months;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM petitions_petition WHERE case_ptr_id = pid)
       AND NOT EXISTS (SELECT 1 FROM reporting_petition_deadline_months WHERE petition_id = pid) THEN
        RETURN;  -- a dispute's deadline
    END IF;
    INSERT INTO reporting_petition_deadline_months (petition_id) VALUES (pid) ON CONFLICT DO NOTHING;
    SELECT * INTO was FROM reporting_petition_deadline_months WHERE petition_id = pid FOR UPDATE;
    SELECT * INTO fresh FROM reporting_petition_deadline_months_now WHERE petition_id = pid;
    IF NOT FOUND THEN
        fresh := ROW(pid, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    END IF;
    IF was IS DISTINCT FROM fresh THEN
        INSERT INTO reporting_petition_deadline_tally (county, withheld_from_unit_id, dimension, lo, hi, n)
        SELECT s.*, -1 FROM reporting_petition_deadline_spans(was) AS s
        UNION ALL
        SELECT s.*, 1 FROM reporting_petition_deadline_spans(fresh) AS s;
    END IF;
    IF fresh.county IS NULL THEN
        DELETE FROM reporting_petition_deadline_months WHERE petition_id = pid;
    ELSIF was IS DISTINCT FROM fresh THEN
        UPDATE reporting_petition_deadline_months SET
            county = fresh.county, withheld_from_unit_id = fresh.withheld_from_unit_id,
            anything = fresh.anything, notice_due = fresh.notice_due, notice_on_time = fresh.notice_on_time,
            handle_due = fresh.handle_due, handle_on_time = fresh.handle_on_time, overdue = fresh.overdue
        WHERE petition_id = pid;
    END IF;
END $$;
-- Deadlines written: every petition concerned, once per statement, in the order of its id. The
-- disputes' deadlines are left out in one pass (a bulk load of a million of them is one statement).
CREATE FUNCTION reporting_petition_deadline_recount_cases(cases bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pid bigint;
BEGIN
    FOR pid IN
        SELECT DISTINCT t.id FROM unnest(cases) AS t(id)
        WHERE EXISTS (SELECT 1 FROM petitions_petition p WHERE p.case_ptr_id = t.id)
           OR EXISTS (SELECT 1 FROM reporting_petition_deadline_months m WHERE m.petition_id = t.id)
        ORDER BY 1
    LOOP
        PERFORM reporting_petition_deadline_recount(pid);
    END LOOP;
END $$;
CREATE FUNCTION reporting_petition_deadline_tally_deadline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reporting_petition_deadline_recount_cases(ARRAY(SELECT w.case_id FROM written AS w));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM reporting_petition_deadline_recount_cases(
            ARRAY(SELECT w.case_id FROM written AS w UNION SELECT g.case_id FROM gone AS g));
    ELSE
        PERFORM reporting_petition_deadline_recount_cases(ARRAY(SELECT g.case_id FROM gone AS g));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reporting_petition_deadline_tally_insert
    AFTER INSERT ON cases_deadline REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_petition_deadline_tally_deadline();
CREATE TRIGGER reporting_petition_deadline_tally_update
    AFTER UPDATE ON cases_deadline REFERENCING OLD TABLE AS gone NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_petition_deadline_tally_deadline();
CREATE TRIGGER reporting_petition_deadline_tally_delete
    AFTER DELETE ON cases_deadline REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_petition_deadline_tally_deadline();
-- A petition or its case written: that petition.
CREATE FUNCTION reporting_petition_deadline_tally_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'cases_case' THEN
        PERFORM reporting_petition_deadline_recount(OLD.id);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM reporting_petition_deadline_recount(NEW.case_ptr_id);
    ELSE
        PERFORM reporting_petition_deadline_recount(OLD.case_ptr_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reporting_petition_deadline_tally
    AFTER INSERT OR DELETE ON petitions_petition
    FOR EACH ROW EXECUTE FUNCTION reporting_petition_deadline_tally_row();
CREATE TRIGGER reporting_petition_deadline_tally_update
    AFTER UPDATE OF received_on, replied_on ON petitions_petition FOR EACH ROW
    WHEN (OLD.received_on IS DISTINCT FROM NEW.received_on OR OLD.replied_on IS DISTINCT FROM NEW.replied_on)
    EXECUTE FUNCTION reporting_petition_deadline_tally_row();
CREATE TRIGGER reporting_petition_deadline_tally
    AFTER DELETE ON cases_case
    FOR EACH ROW WHEN (OLD.kind = 'petition') EXECUTE FUNCTION reporting_petition_deadline_tally_row();
CREATE TRIGGER reporting_petition_deadline_tally_update
    AFTER UPDATE OF region_id, withheld_from_unit_id, closed_at ON cases_case FOR EACH ROW
    WHEN (OLD.kind = 'petition' AND (
          substr(OLD.region_id, 1, 6) IS DISTINCT FROM substr(NEW.region_id, 1, 6)
          OR OLD.withheld_from_unit_id IS DISTINCT FROM NEW.withheld_from_unit_id
          OR OLD.closed_at IS DISTINCT FROM NEW.closed_at))
    EXECUTE FUNCTION reporting_petition_deadline_tally_row();
"""

FILL = """
INSERT INTO reporting_petition_deadline_months (petition_id, county, withheld_from_unit_id, anything,
    notice_due, notice_on_time, handle_due, handle_on_time, overdue)
SELECT * FROM reporting_petition_deadline_months_now;
INSERT INTO reporting_petition_deadline_tally (county, withheld_from_unit_id, dimension, lo, hi, n)
SELECT s.*, count(*) FROM reporting_petition_deadline_months f, LATERAL reporting_petition_deadline_spans(f) AS s
GROUP BY 1, 2, 3, 4, 5;
"""

DROP = """
DROP TRIGGER IF EXISTS reporting_petition_deadline_tally_insert ON cases_deadline;
DROP TRIGGER IF EXISTS reporting_petition_deadline_tally_update ON cases_deadline;
DROP TRIGGER IF EXISTS reporting_petition_deadline_tally_delete ON cases_deadline;
DROP TRIGGER IF EXISTS reporting_petition_deadline_tally ON petitions_petition;
DROP TRIGGER IF EXISTS reporting_petition_deadline_tally_update ON petitions_petition;
DROP TRIGGER IF EXISTS reporting_petition_deadline_tally ON cases_case;
DROP TRIGGER IF EXISTS reporting_petition_deadline_tally_update ON cases_case;
DROP FUNCTION IF EXISTS reporting_petition_deadline_tally_row();
DROP FUNCTION IF EXISTS reporting_petition_deadline_tally_deadline();
DROP FUNCTION IF EXISTS reporting_petition_deadline_recount_cases(bigint[]);
DROP FUNCTION IF EXISTS reporting_petition_deadline_recount(bigint);
DROP FUNCTION IF EXISTS reporting_petition_deadline_spans(reporting_petition_deadline_months);
DROP VIEW IF EXISTS reporting_petition_deadline_months_now;
DROP FUNCTION IF EXISTS reporting_petition_held_months(date, timestamptz, datemultirange);
DROP FUNCTION IF EXISTS reporting_deadline_months(varchar, varchar, date, timestamptz, boolean, date);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("cases_case", "petitions_petition", "cases_deadline"):
        schema_editor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    schema_editor.execute(FUNCTIONS)
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0006_petition_visit_tally'),
        ('cases', '0036_open_due_covering'),
    ]

    operations = [
        migrations.CreateModel(
            name='PetitionDeadlineMonths',
            fields=[
                ('petition_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('county', models.CharField(max_length=6, null=True)),
                ('withheld_from_unit_id', models.BigIntegerField(null=True)),
                ('anything', reporting.models.MonthSpans(null=True)),
                ('notice_due', reporting.models.MonthSpans(null=True)),
                ('notice_on_time', reporting.models.MonthSpans(null=True)),
                ('handle_due', reporting.models.MonthSpans(null=True)),
                ('handle_on_time', reporting.models.MonthSpans(null=True)),
                ('overdue', reporting.models.MonthSpans(null=True)),
            ],
            options={
                'db_table': 'reporting_petition_deadline_months',
            },
        ),
        migrations.CreateModel(
            name='PetitionDeadlineTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('county', models.CharField(max_length=6)),
                ('withheld_from_unit_id', models.BigIntegerField(null=True)),
                ('dimension', models.CharField(max_length=16)),
                ('lo', models.DateField()),
                ('hi', models.DateField(null=True)),
                ('n', models.IntegerField()),
            ],
            options={
                'db_table': 'reporting_petition_deadline_tally',
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
