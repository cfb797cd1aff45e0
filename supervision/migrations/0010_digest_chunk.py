"""Digest parts share their lines: a chunk per list of recipients (supervision.models.DigestChunk).
Parts a killed run left unfolded get a chunk each, with what they carried."""

import django.db.models.deletion
from django.db import migrations, models


def parts_to_chunks(apps, schema_editor):
    Part = apps.get_model("supervision", "DigestPart")
    Chunk = apps.get_model("supervision", "DigestChunk")
    for part in Part.objects.order_by("pk").iterator():
        part.chunk = Chunk.objects.create(body=part.body, case_ids=part.case_ids, reminder_ids=part.reminder_ids)
        part.case_ids = None
        part.save(update_fields=["chunk", "case_ids"])


class Migration(migrations.Migration):
    dependencies = [("supervision", "0008_order_number")]

    operations = [
        migrations.CreateModel(
            name="DigestChunk",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("body", models.TextField()),
                ("case_ids", models.JSONField(default=list)),
                ("reminder_ids", models.JSONField(default=list)),
            ],
        ),
        migrations.AddField(
            model_name="digestpart",
            name="chunk",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="parts",
                to="supervision.digestchunk",
            ),
        ),
        migrations.AlterField(
            model_name="digestpart", name="case_ids", field=models.JSONField(blank=True, null=True)
        ),
        migrations.RunPython(parts_to_chunks, migrations.RunPython.noop),
        migrations.RemoveField(model_name="digestpart", name="body"),
        migrations.RemoveField(model_name="digestpart", name="reminder_ids"),
        migrations.AlterField(
            model_name="digestpart",
            name="chunk",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="parts", to="supervision.digestchunk"
            ),
        ),
    ]
