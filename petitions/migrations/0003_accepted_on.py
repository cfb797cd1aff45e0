import zoneinfo

from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Petitions accepted before the field existed take the day of their 'accept' timeline entry."""
    Petition = apps.get_model("petitions", "Petition")
    TimelineEntry = apps.get_model("cases", "TimelineEntry")
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    entries = TimelineEntry.objects.filter(action="accept").order_by("case_id", "at")
    seen = set()
    for case_id, at in entries.values_list("case_id", "at").iterator():
        if case_id in seen:
            continue
        seen.add(case_id)
        Petition.objects.filter(pk=case_id, accepted_on__isnull=True).update(
            accepted_on=at.astimezone(tz).date()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0002_categories"),
        ("cases", "0009_notification_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="accepted_on",
            field=models.DateField(blank=True, null=True, verbose_name="accepted on"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
