"""The visits tally (reporting.models.PetitionVisitTally): a petition's visits counted with it by
reporting_petition_count (migration 0005, whose petition and case triggers call it: a petition
becoming collective, moved or withheld moves its visits), and each visit written counted by a
trigger of its own. PostgreSQL only, as 0005; filled from the visits already there under the same
locks. reporting.petition_tally.REFILL holds the same fill for the scale seeder.
"""

from django.db import migrations, models


FUNCTIONS = """
CREATE FUNCTION reporting_petition_visit_rows(p petitions_petition, c cases_case, v petitions_visitbatch)
RETURNS TABLE (county varchar, withheld_from_unit_id bigint, month date, collective boolean, persons integer)
LANGUAGE sql STABLE AS $$
    SELECT substr(c.region_id, 1, 6)::varchar, c.withheld_from_unit_id,
           date_trunc('month', v.visited_on)::date, p.is_collective, v.head_count::integer
$$;
CREATE OR REPLACE FUNCTION reporting_petition_count(p petitions_petition, c cases_case, sign integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reporting_petition_received_tally
        (county, withheld_from_unit_id, month, dimension, value, n)
    SELECT r.*, sign FROM reporting_petition_received_rows(p, c) AS r;
    INSERT INTO reporting_petition_handled_tally
        (county, withheld_from_unit_id, accepted, replied, closed, set_aside, evaluated, last_evaluation, n)
    SELECT h.*, sign
    FROM reporting_petition_handled_rows(p, c, reporting_petition_last_evaluation(p.case_ptr_id)) AS h;
    INSERT INTO reporting_petition_visit_tally (county, withheld_from_unit_id, month, collective, n, persons)
    SELECT r.county, r.withheld_from_unit_id, r.month, r.collective, sign * count(*), sign * sum(r.persons)
    FROM petitions_visitbatch AS v, LATERAL reporting_petition_visit_rows(p, c, v) AS r
    WHERE v.petition_id = p.case_ptr_id
    GROUP BY 1, 2, 3, 4;
END $$;
-- A visit written: counted out as it was, in as it is, with its petition and case as they are
-- (a statement on the visits changes neither).
CREATE FUNCTION reporting_petition_tally_visit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p petitions_petition;
    c cases_case;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        SELECT * INTO p FROM petitions_petition WHERE case_ptr_id = OLD.petition_id;
        SELECT * INTO c FROM cases_case WHERE id = OLD.petition_id;
        IF p.case_ptr_id IS NOT NULL AND c.id IS NOT NULL THEN
            INSERT INTO reporting_petition_visit_tally
                (county, withheld_from_unit_id, month, collective, n, persons)
            SELECT r.county, r.withheld_from_unit_id, r.month, r.collective, -1, -r.persons
            FROM reporting_petition_visit_rows(p, c, OLD) AS r;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        SELECT * INTO p FROM petitions_petition WHERE case_ptr_id = NEW.petition_id;
        SELECT * INTO c FROM cases_case WHERE id = NEW.petition_id;
        IF p.case_ptr_id IS NOT NULL AND c.id IS NOT NULL THEN
            INSERT INTO reporting_petition_visit_tally
                (county, withheld_from_unit_id, month, collective, n, persons)
            SELECT r.county, r.withheld_from_unit_id, r.month, r.collective, 1, r.persons
            FROM reporting_petition_visit_rows(p, c, NEW) AS r;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reporting_petition_tally
    AFTER INSERT OR DELETE OR UPDATE OF petition_id, visited_on, head_count ON petitions_visitbatch
    FOR EACH ROW EXECUTE FUNCTION reporting_petition_tally_visit();
"""

FILL = """
INSERT INTO reporting_petition_visit_tally (county, withheld_from_unit_id, month, collective, n, persons)
SELECT r.county, r.withheld_from_unit_id, r.month, r.collective, count(*), sum(r.persons)
FROM petitions_visitbatch v JOIN petitions_petition p ON p.case_ptr_id = v.petition_id
    JOIN cases_case c ON c.id = p.case_ptr_id, LATERAL reporting_petition_visit_rows(p, c, v) AS r
GROUP BY 1, 2, 3, 4
"""

# Back to migration 0005's function, without the visits.
COUNT_0005 = """
CREATE OR REPLACE FUNCTION reporting_petition_count(p petitions_petition, c cases_case, sign integer)
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
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("cases_case", "petitions_petition", "petitions_visitbatch"):
        schema_editor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    schema_editor.execute(FUNCTIONS)
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS reporting_petition_tally ON petitions_visitbatch")
        schema_editor.execute("DROP FUNCTION IF EXISTS reporting_petition_tally_visit()")
        schema_editor.execute(COUNT_0005)
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS reporting_petition_visit_rows(petitions_petition, cases_case, petitions_visitbatch)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0005_petition_tally'),
    ]

    operations = [
        migrations.CreateModel(
            name='PetitionVisitTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('county', models.CharField(max_length=6)),
                ('withheld_from_unit_id', models.BigIntegerField(null=True)),
                ('month', models.DateField()),
                ('collective', models.BooleanField()),
                ('n', models.IntegerField()),
                ('persons', models.IntegerField()),
            ],
            options={
                'db_table': 'reporting_petition_visit_tally',
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
