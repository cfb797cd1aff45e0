"""The opened-case tally (reporting.models.CaseOpenedTally): cases opened per county, month opened
in Asia/Shanghai, kind and category, for the analysis page of a city or the province
(reporting.opened_tally).

Every case is counted once under its dispute's or petition's category, or under none while it has
no such row (a case row is written before its dispute or petition, and a deletion takes them one
after the other): triggers on cases_case (written, moved, withheld, re-dated, deleted) and on
cases_dispute and petitions_petition (written, category changed, deleted) append +1 / -1 rows in
the changing transaction, as the other tallies do. PostgreSQL only, as 0005; filled from the cases
already there under the same locks. reporting.opened_tally.REFILL holds the same fill for the
scale seeder.
"""

from django.db import migrations, models


FUNCTIONS = """
CREATE FUNCTION reporting_case_category(c cases_case) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT CASE c.kind
        WHEN 'dispute' THEN (SELECT d.category_id FROM cases_dispute d WHERE d.case_ptr_id = c.id)
        WHEN 'petition' THEN (SELECT p.category_id FROM petitions_petition p WHERE p.case_ptr_id = c.id)
    END::bigint
$$;
CREATE FUNCTION reporting_case_opened_count(c cases_case, category bigint, sign integer)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO reporting_case_opened_tally (county, withheld_from_unit_id, month, kind, category_id, n)
    VALUES (substr(c.region_id, 1, 6), c.withheld_from_unit_id,
            date_trunc('month', c.opened_at AT TIME ZONE 'Asia/Shanghai')::date, c.kind, category, sign)
$$;
-- A case written: counted out as it was, in as it is, under its dispute's or petition's category.
CREATE FUNCTION reporting_case_opened_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM reporting_case_opened_count(OLD, reporting_case_category(OLD), -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM reporting_case_opened_count(NEW, reporting_case_category(NEW), 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reporting_case_opened_tally
    AFTER INSERT OR DELETE ON cases_case
    FOR EACH ROW EXECUTE FUNCTION reporting_case_opened_case();
CREATE TRIGGER reporting_case_opened_tally_update
    AFTER UPDATE OF region_id, withheld_from_unit_id, opened_at, kind ON cases_case FOR EACH ROW
    WHEN (substr(OLD.region_id, 1, 6) IS DISTINCT FROM substr(NEW.region_id, 1, 6)
          OR OLD.withheld_from_unit_id IS DISTINCT FROM NEW.withheld_from_unit_id
          OR OLD.opened_at IS DISTINCT FROM NEW.opened_at OR OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION reporting_case_opened_case();
-- A dispute or petition written: its case moved from no category to its category, between
-- categories, or back to none, while the case exists (and is of that kind).
CREATE FUNCTION reporting_case_opened_child() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c cases_case;
    own_kind varchar;
    was bigint;
    now_category bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT * INTO c FROM cases_case WHERE id = OLD.case_ptr_id;
    ELSE
        SELECT * INTO c FROM cases_case WHERE id = NEW.case_ptr_id;
    END IF;
    own_kind := CASE TG_TABLE_NAME WHEN 'cases_dispute' THEN 'dispute' ELSE 'petition' END;
    IF c.id IS NULL OR c.kind <> own_kind THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        was := NULL;
    ELSE
        was := OLD.category_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        now_category := NULL;
    ELSE
        now_category := NEW.category_id;
    END IF;
    PERFORM reporting_case_opened_count(c, was, -1);
    PERFORM reporting_case_opened_count(c, now_category, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER reporting_case_opened_tally
    AFTER INSERT OR DELETE ON cases_dispute
    FOR EACH ROW EXECUTE FUNCTION reporting_case_opened_child();
CREATE TRIGGER reporting_case_opened_tally_update
    AFTER UPDATE OF category_id ON cases_dispute FOR EACH ROW
    WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id)
    EXECUTE FUNCTION reporting_case_opened_child();
CREATE TRIGGER reporting_case_opened_tally
    AFTER INSERT OR DELETE ON petitions_petition
    FOR EACH ROW EXECUTE FUNCTION reporting_case_opened_child();
CREATE TRIGGER reporting_case_opened_tally_update
    AFTER UPDATE OF category_id ON petitions_petition FOR EACH ROW
    WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id)
    EXECUTE FUNCTION reporting_case_opened_child();
"""

FILL = """
INSERT INTO reporting_case_opened_tally (county, withheld_from_unit_id, month, kind, category_id, n)
SELECT substr(c.region_id, 1, 6), c.withheld_from_unit_id,
       date_trunc('month', c.opened_at AT TIME ZONE 'Asia/Shanghai')::date, c.kind,
       reporting_case_category(c), count(*)
FROM cases_case c GROUP BY 1, 2, 3, 4, 5
"""

DROP = """
DROP TRIGGER IF EXISTS reporting_case_opened_tally ON cases_case;
DROP TRIGGER IF EXISTS reporting_case_opened_tally_update ON cases_case;
DROP TRIGGER IF EXISTS reporting_case_opened_tally ON cases_dispute;
DROP TRIGGER IF EXISTS reporting_case_opened_tally_update ON cases_dispute;
DROP TRIGGER IF EXISTS reporting_case_opened_tally ON petitions_petition;
DROP TRIGGER IF EXISTS reporting_case_opened_tally_update ON petitions_petition;
DROP FUNCTION IF EXISTS reporting_case_opened_child();
DROP FUNCTION IF EXISTS reporting_case_opened_case();
DROP FUNCTION IF EXISTS reporting_case_opened_count(cases_case, bigint, integer);
DROP FUNCTION IF EXISTS reporting_case_category(cases_case);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("cases_case", "cases_dispute", "petitions_petition"):
        schema_editor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    schema_editor.execute(FUNCTIONS)
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0007_petition_deadline_tally'),
        ('mediation', '0007_dispute_evaluation'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseOpenedTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('county', models.CharField(max_length=6)),
                ('withheld_from_unit_id', models.BigIntegerField(null=True)),
                ('month', models.DateField()),
                ('kind', models.CharField(max_length=10)),
                ('category_id', models.BigIntegerField(null=True)),
                ('n', models.IntegerField()),
            ],
            options={
                'db_table': 'reporting_case_opened_tally',
                'indexes': [models.Index(fields=['month', 'county'], name='opened_tally_month')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
