"""Job results record the cases they hold, so that a download checks them against the one rule again
(issue 14). Results written before keep ``case_ids`` NULL: they are not served again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="case_ids",
            field=models.JSONField(blank=True, default=None, null=True),
        ),
    ]
