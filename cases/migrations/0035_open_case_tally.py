"""Open cases per place, kept by a trigger (cases/models/tally.py, issue 22).

PostgreSQL only: the trigger, and the table filled from the cases already there. Both happen with
the cases table locked against writes, so no change falls between the fill and the trigger. On
SQLite (the zero-service demo) the table stays empty and the dashboard counts the cases themselves
(cases.tally.available).
"""

from django.db import migrations, models

TRIGGER = """
CREATE FUNCTION cases_open_tally_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.closed_at IS NULL AND NEW.closed_at IS NULL
       AND OLD.region_id = NEW.region_id
       AND OLD.handling_unit_id IS NOT DISTINCT FROM NEW.handling_unit_id
       AND OLD.withheld_from_unit_id IS NOT DISTINCT FROM NEW.withheld_from_unit_id THEN
        RETURN NULL;  -- still open under the same key
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.closed_at IS NULL THEN
        INSERT INTO cases_open_tally (region_id, handling_unit_id, withheld_from_unit_id, n)
        VALUES (OLD.region_id, OLD.handling_unit_id, OLD.withheld_from_unit_id, -1);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.closed_at IS NULL THEN
        INSERT INTO cases_open_tally (region_id, handling_unit_id, withheld_from_unit_id, n)
        VALUES (NEW.region_id, NEW.handling_unit_id, NEW.withheld_from_unit_id, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_open_tally_delta
    AFTER INSERT OR DELETE OR UPDATE OF closed_at, region_id, handling_unit_id, withheld_from_unit_id
    ON cases_case FOR EACH ROW EXECUTE FUNCTION cases_open_tally_delta();
"""

FILL = """
INSERT INTO cases_open_tally (region_id, handling_unit_id, withheld_from_unit_id, n)
SELECT region_id, handling_unit_id, withheld_from_unit_id, count(*) FROM cases_case
WHERE closed_at IS NULL GROUP BY 1, 2, 3
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("LOCK TABLE cases_case IN SHARE ROW EXCLUSIVE MODE")
    schema_editor.execute(TRIGGER)
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_open_tally_delta ON cases_case")
        schema_editor.execute("DROP FUNCTION IF EXISTS cases_open_tally_delta()")


class Migration(migrations.Migration):
    dependencies = [("cases", "0034_pub_attachment_uploader")]

    operations = [
        migrations.CreateModel(
            name="OpenCaseTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("region_id", models.CharField(max_length=12)),
                ("handling_unit_id", models.BigIntegerField(null=True)),
                ("withheld_from_unit_id", models.BigIntegerField(null=True)),
                ("n", models.IntegerField()),
            ],
            options={
                "db_table": "cases_open_tally",
                "indexes": [
                    models.Index(fields=["region_id"], name="open_tally_region", opclasses=["varchar_pattern_ops"])
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
