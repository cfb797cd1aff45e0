"""The petition tallies (reporting.models, issue 22), kept by triggers on the petitions, their cases
and their evaluations.

PostgreSQL only: the functions that say which rows a petition counts under, the triggers, and the
tables filled from the petitions already there, with the three tables locked against writes so no
change falls between the fill and the triggers. On SQLite the tables stay empty and the statistics
count the petitions themselves (reporting.petition_tally.available).

The SQL is frozen here, as a migration is; reporting.petition_tally.REFILL is the same fill for the
scale seeder, which loads with the triggers off.
"""

from django.db import migrations, models


# The months a petition counts under, in the time zone the statistics' periods are cut in
# (settings.TIME_ZONE; reporting.petition_tally.available refuses the tally under another).
# A petition's handled row keeps its evaluation only once replied: before that no figure reads it.
FUNCTIONS = """
CREATE FUNCTION reporting_petition_received_rows(p petitions_petition, c cases_case)
RETURNS TABLE (county varchar, withheld_from_unit_id bigint, month date, dimension varchar, value varchar)
LANGUAGE sql STABLE AS $$
    SELECT substr(c.region_id, 1, 6)::varchar, c.withheld_from_unit_id,
           date_trunc('month', p.received_on)::date, d.dimension::varchar, d.value::varchar
    FROM (VALUES ('all', ''), ('channel', p.channel), ('kind', p.petition_kind),
                 ('category', p.category_id::text),
                 ('flag', CASE WHEN p.is_collective THEN 'collective' END),
                 ('flag', CASE WHEN p.repeat_of_id IS NOT NULL THEN 'repeat' END),
                 ('flag', CASE WHEN p.is_skip_level THEN 'skip_level' END)) AS d (dimension, value)
    WHERE d.value IS NOT NULL
$$;
CREATE FUNCTION reporting_petition_handled_rows(p petitions_petition, c cases_case, latest varchar)
RETURNS TABLE (county varchar, withheld_from_unit_id bigint, accepted date, replied date, closed date,
               set_aside boolean, evaluated boolean, last_evaluation varchar)
LANGUAGE sql STABLE AS $$
    SELECT substr(c.region_id, 1, 6)::varchar, c.withheld_from_unit_id,
           date_trunc('month', p.accepted_on)::date, date_trunc('month', p.replied_on)::date,
           date_trunc('month', c.closed_at AT TIME ZONE 'Asia/Shanghai')::date,
           c.status IN ('not_accepted', 'diverted'),
           p.replied_on IS NOT NULL AND latest IS NOT NULL,
           CASE WHEN p.replied_on IS NOT NULL THEN latest END
$$;
-- The latest evaluation decides satisfaction (reporting.petition_passes.evaluation_facts).
CREATE FUNCTION reporting_petition_last_evaluation(petition bigint) RETURNS varchar
LANGUAGE sql STABLE AS $$
    SELECT value FROM petitions_evaluation WHERE petition_id = petition ORDER BY given_on DESC, id DESC LIMIT 1
$$;
CREATE FUNCTION reporting_petition_count(p petitions_petition, c cases_case, sign integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reporting_petition_received_tally
        (county, withheld_from_unit_id, month, dimension, value, n)
    SELECT r.*, sign FROM reporting_petition_received_rows(p, c) AS r;
    INSERT INTO reporting_petition_handled_tally
        (county, withheld_from_unit_id, accepted, replied, closed, set_aside, evaluated, last_evaluation, n)
    SELECT h.*, sign
    FROM reporting_petition_handled_rows(p, c, reporting_petition_last_evaluation(p.case_ptr_id)) AS h;
END $$;

-- A petition written: counted out under its old columns, in under its new ones (the case row and
-- the evaluations are the same before and after). Inserted after its case (multi-table
-- inheritance); deleted before or after it, whichever goes first counts it out.
CREATE FUNCTION reporting_petition_tally_petition() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c cases_case;
BEGIN
    SELECT * INTO c FROM cases_case WHERE id = COALESCE(NEW.case_ptr_id, OLD.case_ptr_id);
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM reporting_petition_count(OLD, c, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM reporting_petition_count(NEW, c, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reporting_petition_tally
    AFTER INSERT OR DELETE ON petitions_petition
    FOR EACH ROW EXECUTE FUNCTION reporting_petition_tally_petition();
CREATE TRIGGER reporting_petition_tally_update
    AFTER UPDATE OF received_on, channel, petition_kind, category_id, is_collective, repeat_of_id,
                    is_skip_level, accepted_on, replied_on
    ON petitions_petition FOR EACH ROW
    WHEN (OLD.received_on IS DISTINCT FROM NEW.received_on OR OLD.channel IS DISTINCT FROM NEW.channel
          OR OLD.petition_kind IS DISTINCT FROM NEW.petition_kind
          OR OLD.category_id IS DISTINCT FROM NEW.category_id
          OR OLD.is_collective IS DISTINCT FROM NEW.is_collective
          OR (OLD.repeat_of_id IS NULL) <> (NEW.repeat_of_id IS NULL)
          OR OLD.is_skip_level IS DISTINCT FROM NEW.is_skip_level
          OR OLD.accepted_on IS DISTINCT FROM NEW.accepted_on
          OR OLD.replied_on IS DISTINCT FROM NEW.replied_on)
    EXECUTE FUNCTION reporting_petition_tally_petition();

-- A petition's case written: its place, the unit it is withheld from, its closing and status.
CREATE FUNCTION reporting_petition_tally_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p petitions_petition;
BEGIN
    SELECT * INTO p FROM petitions_petition WHERE case_ptr_id = OLD.id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM reporting_petition_count(p, OLD, -1);
    IF TG_OP = 'UPDATE' THEN
        PERFORM reporting_petition_count(p, NEW, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reporting_petition_tally
    AFTER DELETE ON cases_case
    FOR EACH ROW WHEN (OLD.kind = 'petition') EXECUTE FUNCTION reporting_petition_tally_case();
CREATE TRIGGER reporting_petition_tally_update
    AFTER UPDATE OF region_id, withheld_from_unit_id, closed_at, status ON cases_case FOR EACH ROW
    WHEN (OLD.kind = 'petition' AND (
          substr(OLD.region_id, 1, 6) IS DISTINCT FROM substr(NEW.region_id, 1, 6)
          OR OLD.withheld_from_unit_id IS DISTINCT FROM NEW.withheld_from_unit_id
          OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
          OR (OLD.status IN ('not_accepted', 'diverted')) <> (NEW.status IN ('not_accepted', 'diverted'))))
    EXECUTE FUNCTION reporting_petition_tally_case();

-- Evaluations written: each petition concerned counted out with the latest evaluation it had
-- before the statement (the table less the rows written, plus the rows as they were) and in with
-- the one it has now. Per statement, from its transition tables: a row trigger would see the
-- statement half done (the evaluations of a deleted petition go in one statement).
CREATE FUNCTION reporting_petition_recount(written petitions_evaluation[], gone petitions_evaluation[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO reporting_petition_handled_tally
        (county, withheld_from_unit_id, accepted, replied, closed, set_aside, evaluated, last_evaluation, n)
    SELECT h.*, -1
    FROM petitions_petition p JOIN cases_case c ON c.id = p.case_ptr_id,
        LATERAL reporting_petition_handled_rows(p, c, (
            SELECT e.value FROM (
                SELECT value, given_on, id FROM petitions_evaluation
                WHERE petition_id = p.case_ptr_id AND id <> ALL (SELECT w.id FROM unnest(written) AS w)
                UNION ALL
                SELECT g.value, g.given_on, g.id FROM unnest(gone) AS g WHERE g.petition_id = p.case_ptr_id
            ) AS e ORDER BY e.given_on DESC, e.id DESC LIMIT 1
        )) AS h
    WHERE p.case_ptr_id IN (SELECT t.petition_id FROM unnest(written || gone) AS t);
    INSERT INTO reporting_petition_handled_tally
        (county, withheld_from_unit_id, accepted, replied, closed, set_aside, evaluated, last_evaluation, n)
    SELECT h.*, 1
    FROM petitions_petition p JOIN cases_case c ON c.id = p.case_ptr_id,
        LATERAL reporting_petition_handled_rows(p, c, reporting_petition_last_evaluation(p.case_ptr_id)) AS h
    WHERE p.case_ptr_id IN (SELECT t.petition_id FROM unnest(written || gone) AS t);
$$;
CREATE FUNCTION reporting_petition_tally_evaluation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reporting_petition_recount(ARRAY(SELECT n::petitions_evaluation FROM written AS n), '{}'::petitions_evaluation[]);
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM reporting_petition_recount(ARRAY(SELECT n::petitions_evaluation FROM written AS n), ARRAY(SELECT o::petitions_evaluation FROM gone AS o));
    ELSE
        PERFORM reporting_petition_recount('{}'::petitions_evaluation[], ARRAY(SELECT o::petitions_evaluation FROM gone AS o));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reporting_petition_tally_insert
    AFTER INSERT ON petitions_evaluation REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_petition_tally_evaluation();
CREATE TRIGGER reporting_petition_tally_update
    AFTER UPDATE ON petitions_evaluation REFERENCING OLD TABLE AS gone NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_petition_tally_evaluation();
CREATE TRIGGER reporting_petition_tally_delete
    AFTER DELETE ON petitions_evaluation REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_petition_tally_evaluation();
"""

FILL = """
INSERT INTO reporting_petition_received_tally (county, withheld_from_unit_id, month, dimension, value, n)
SELECT r.*, count(*) FROM petitions_petition p JOIN cases_case c ON c.id = p.case_ptr_id,
    LATERAL reporting_petition_received_rows(p, c) AS r
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO reporting_petition_handled_tally
    (county, withheld_from_unit_id, accepted, replied, closed, set_aside, evaluated, last_evaluation, n)
SELECT h.*, count(*) FROM petitions_petition p JOIN cases_case c ON c.id = p.case_ptr_id,
    LATERAL reporting_petition_handled_rows(p, c, reporting_petition_last_evaluation(p.case_ptr_id)) AS h
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
"""

DROP = """
DROP TRIGGER IF EXISTS reporting_petition_tally_insert ON petitions_evaluation;
DROP TRIGGER IF EXISTS reporting_petition_tally_update ON petitions_evaluation;
DROP TRIGGER IF EXISTS reporting_petition_tally_delete ON petitions_evaluation;
DROP TRIGGER IF EXISTS reporting_petition_tally ON cases_case;
DROP TRIGGER IF EXISTS reporting_petition_tally_update ON cases_case;
DROP TRIGGER IF EXISTS reporting_petition_tally ON petitions_petition;
DROP TRIGGER IF EXISTS reporting_petition_tally_update ON petitions_petition;
DROP FUNCTION IF EXISTS reporting_petition_tally_evaluation();
DROP FUNCTION IF EXISTS reporting_petition_tally_case();
DROP FUNCTION IF EXISTS reporting_petition_tally_petition();
DROP FUNCTION IF EXISTS reporting_petition_recount(petitions_evaluation[], petitions_evaluation[]);
DROP FUNCTION IF EXISTS reporting_petition_count(petitions_petition, cases_case, integer);
DROP FUNCTION IF EXISTS reporting_petition_last_evaluation(bigint);
DROP FUNCTION IF EXISTS reporting_petition_handled_rows(petitions_petition, cases_case, varchar);
DROP FUNCTION IF EXISTS reporting_petition_received_rows(petitions_petition, cases_case);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("cases_case", "petitions_petition", "petitions_evaluation"):
        schema_editor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    schema_editor.execute(FUNCTIONS)
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0004_analysis_report'),
        ('petitions', '0012_national_number'),
        ('cases', '0036_open_due_covering'),
    ]

    operations = [
        migrations.CreateModel(
            name='PetitionHandledTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('county', models.CharField(max_length=6)),
                ('withheld_from_unit_id', models.BigIntegerField(null=True)),
                ('accepted', models.DateField(null=True)),
                ('replied', models.DateField(null=True)),
                ('closed', models.DateField(null=True)),
                ('set_aside', models.BooleanField()),
                ('evaluated', models.BooleanField()),
                ('last_evaluation', models.CharField(max_length=20, null=True)),
                ('n', models.IntegerField()),
            ],
            options={
                'db_table': 'reporting_petition_handled_tally',
            },
        ),
        migrations.CreateModel(
            name='PetitionReceivedTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('county', models.CharField(max_length=6)),
                ('withheld_from_unit_id', models.BigIntegerField(null=True)),
                ('month', models.DateField()),
                ('dimension', models.CharField(max_length=10)),
                ('value', models.CharField(max_length=20)),
                ('n', models.IntegerField()),
            ],
            options={
                'db_table': 'reporting_petition_received_tally',
                'indexes': [models.Index(fields=['month', 'county'], name='received_tally_month')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
