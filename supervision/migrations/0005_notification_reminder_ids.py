"""A digest names its reminders in Notification.reminder_ids instead of a link row each: the links
made so far are moved into the arrays (and back on reverse), then the link table goes."""

from django.db import migrations, models


def move_links(apps, schema_editor):
    Notification = apps.get_model("supervision", "Notification")
    through = Notification.reminders.through
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE {Notification._meta.db_table} n SET reminder_ids = l.ids "  # noqa: S608
            f"FROM (SELECT notification_id, jsonb_agg(reminder_id ORDER BY reminder_id) AS ids "
            f"FROM {through._meta.db_table} GROUP BY notification_id) l WHERE n.id = l.notification_id"
        )
        return
    ids: dict[int, list[int]] = {}
    for note, reminder in through.objects.order_by("reminder_id").values_list(
        "notification_id", "reminder_id"
    ):
        ids.setdefault(note, []).append(reminder)
    for note, reminders in ids.items():
        Notification.objects.filter(pk=note).update(reminder_ids=reminders)


def restore_links(apps, schema_editor):
    Notification = apps.get_model("supervision", "Notification")
    through = Notification.reminders.through
    rows = []
    for note, reminders in Notification.objects.exclude(reminder_ids=[]).values_list("pk", "reminder_ids"):
        rows += [through(notification_id=note, reminder_id=r) for r in reminders]
    through.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_notification_held_until"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="reminder_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(move_links, restore_links),
        migrations.RemoveField(
            model_name="notification",
            name="reminders",
        ),
    ]
