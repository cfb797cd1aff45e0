"""The search by a whole phone number (issue 17): each party link gains the keyed hash of its phone's
digits (cases.idcrypt.phone_digest), computed here for the rows already stored, and the two digests
the search compares get partial indexes. Reversing drops the column and the indexes."""

from django.db import migrations, models

import cases.idcrypt

BATCH = 2000


def compute_phone_digests(apps, schema_editor):
    CaseParty = apps.get_model("cases", "CaseParty")
    rows = CaseParty.objects.using(schema_editor.connection.alias).exclude(phone="").order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).only("pk", "phone")[:BATCH])
        if not batch:
            return
        for link in batch:
            link.phone_digest = cases.idcrypt.phone_digest(link.phone)
        CaseParty.objects.using(schema_editor.connection.alias).bulk_update(batch, ["phone_digest"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("cases", "0028_deadline_pause")]

    operations = [
        migrations.AddField(
            model_name="caseparty",
            name="phone_digest",
            field=models.CharField(blank=True, db_default="", default="", editable=False, max_length=64),
        ),
        migrations.RunPython(compute_phone_digests, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="caseparty",
            index=models.Index(
                condition=models.Q(("id_number_digest", ""), _negated=True),
                fields=["id_number_digest"],
                name="caseparty_id_digest",
            ),
        ),
        migrations.AddIndex(
            model_name="caseparty",
            index=models.Index(
                condition=models.Q(("phone_digest", ""), _negated=True),
                fields=["phone_digest"],
                name="caseparty_phone_digest",
            ),
        ),
    ]
