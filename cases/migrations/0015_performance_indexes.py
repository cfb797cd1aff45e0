"""Indexes for lists, search and the dashboard at province scale (docs/performance.md, issue 9).

The trigram index (pg_trgm) and the NULLS LAST sort index exist on PostgreSQL only; SQLite (the
demo) keeps the state without them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class AddIndexOnPostgres(migrations.AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def person_name_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS person_name_trgm ON cases_person "
            "USING gin ((UPPER(name)) gin_trgm_ops)"
        )


def drop_person_name_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_personal_data_access")]

    operations = [
        TrigramExtension(),
        AddIndexOnPostgres(  # SQLite has no NULLS LAST in an index
            model_name="case",
            index=models.Index(
                models.OrderBy(models.F("next_due_at"), nulls_last=True),
                models.OrderBy(models.F("opened_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="case_list_due",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.OrderBy(models.F("opened_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="case_opened",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", True)),
                fields=["region"],
                name="case_open_region",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.RunPython(person_name_trigram, drop_person_name_trigram),
    ]
