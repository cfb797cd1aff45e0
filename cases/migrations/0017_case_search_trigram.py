"""Trigram indexes for the case search (summary and number contain the text), PostgreSQL only.

The search is ``icontains`` (UPPER(column) LIKE UPPER('%…%')); with these indexes PostgreSQL ANDs
the search bitmap with the visibility rule's bitmap instead of reading every case of a county
(docs/performance.md). Created by SQL: Django renders an operator class over an expression inside
the parentheses. The model state does not change.
"""

from django.db import migrations

INDEXES = {
    "case_summary_trgm": "summary",
    "case_number_trgm": "number",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON cases_case USING gin ((UPPER({column})) gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0016_list_export_job")]
    operations = [migrations.RunPython(create, drop)]
