"""The opened-case tally's model now lives in the case core (cases migration 0038): reporting's state
forgets it, nothing in the database changes, and its content type (with its permissions) is
renamed to the case core's."""

from django.db import migrations


def rename_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label="reporting", model="caseopenedtally")
    if ContentType.objects.using(db).filter(app_label="cases", model="caseopenedtally").exists():
        old.delete()  # made by a post_migrate in between: the permissions are the new type's
    else:
        old.update(app_label="cases")


def rename_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="cases", model="caseopenedtally").update(
        app_label="reporting"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reporting", "0008_case_opened_tally"),
        ("cases", "0038_case_opened_tally"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CaseOpenedTally")],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, rename_back),
    ]
