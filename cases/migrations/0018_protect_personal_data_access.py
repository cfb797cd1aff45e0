"""The personal-data view log (cases.PersonalDataAccess) is an audit table too: PostgreSQL refuses
UPDATE, DELETE and TRUNCATE on it (the triggers of migration 0012), and harden_db_roles, which finds
audit tables by that trigger, gives the application role only SELECT and INSERT on it."""

from django.db import migrations

PROTECT = "SELECT jiefen_protect_audit_table('cases_personaldataaccess', 'log')"
UNPROTECT = """
DROP TRIGGER IF EXISTS jiefen_append_only ON cases_personaldataaccess;
DROP TRIGGER IF EXISTS jiefen_no_truncate ON cases_personaldataaccess;
"""


def _run(script):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(script)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_case_search_trigram")]

    operations = [migrations.RunPython(_run(PROTECT), _run(UNPROTECT))]
