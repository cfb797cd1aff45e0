"""Notifications record the cases they name (job results too: jobs/0002), so that every delivery checks them
against the one rule again (issue 14).

Notifications written before: a reminder digest names the cases of its reminders; a supervisors'
daily digest (no reminders) names them in its lines, "<number> <summary> — <rule>" and
"督办单（<number>）待回复", which are read back here. Job results written before keep ``case_ids``
NULL: they are not served again (the user runs the job once more).
"""

import re

from django.db import migrations, models

BATCH = 2000
IN_BRACKETS = re.compile(r"（([^（）]+)）")


def _numbers(body: str) -> set[str]:
    found = set()
    for line in body.splitlines():
        words = line.split()
        if words:
            found.add(words[0])
        found.update(IN_BRACKETS.findall(line))
    return found


def fill(apps, schema_editor):
    Notification = apps.get_model("supervision", "Notification")
    Case = apps.get_model("cases", "Case")
    link = Notification.reminders.through
    last = 0
    while True:
        notes = list(Notification.objects.filter(pk__gt=last).order_by("pk").only("pk", "body")[:BATCH])
        if not notes:
            return
        last = notes[-1].pk
        named: dict[int, set[int]] = {note.pk: set() for note in notes}
        for note_id, case_id in link.objects.filter(notification_id__in=named).values_list(
            "notification_id", "reminder__deadline__case_id"
        ):
            named[note_id].add(case_id)
        numbers = {note.pk: _numbers(note.body) for note in notes if not named[note.pk]}
        wanted = set().union(*numbers.values()) if numbers else set()
        ids = dict(Case.objects.filter(number__in=wanted).exclude(number="").values_list("number", "pk"))
        for pk, found in numbers.items():
            named[pk] = {ids[n] for n in found if n in ids}
        for note in notes:
            note.case_ids = sorted(named[note.pk])
        Notification.objects.bulk_update(notes, ["case_ids"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0025_models_move_to_their_apps"),
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="case_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
