"""The register keeps keyed identities only (issue 14; SECURITY.md, "Personal data").

After 0025 copied every person's details onto their party links, the register loses its name, ID
number, gender, phone and address (and the name + phone index and the trigram index on the name,
migration 0015). It keeps the ID-number and name + phone digests, the organisation flag and an
organisation's credit code (public registry data, its key). The search by party name gets its
trigram index on the party link's name instead (PostgreSQL only, created by SQL as in 0015).
"""

from django.db import migrations, models

import cases.idcrypt


def party_name_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS caseparty_name_trgm ON cases_caseparty "
            "USING gin ((UPPER(name)) gin_trgm_ops)"
        )


def person_name_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS caseparty_name_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS person_name_trgm ON cases_person USING gin ((UPPER(name)) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0026_case_party_details")]

    operations = [
        # Empty defaults first, so that reversing re-adds the columns NOT NULL before 0025 fills them.
        migrations.AlterField(
            model_name="person", name="name", field=models.CharField(default="", max_length=100, verbose_name="name")
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=cases.idcrypt.EncryptedIdNumberField(blank=True, default="", max_length=160, verbose_name="ID number"),
        ),
        migrations.AlterField(
            model_name="person",
            name="gender",
            field=models.CharField(
                blank=True, choices=[("M", "male"), ("F", "female")], default="", max_length=1, verbose_name="gender"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="phone"),
        ),
        migrations.AlterField(
            model_name="person",
            name="address",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="address"),
        ),
        # Backwards, the person trigram index is built after the name column is back.
        migrations.RunPython(migrations.RunPython.noop, person_name_trigram),
        migrations.RemoveIndex(model_name="person", name="person_name_phone"),
        migrations.RemoveField(model_name="person", name="address"),
        migrations.RemoveField(model_name="person", name="gender"),
        migrations.RemoveField(model_name="person", name="id_number"),
        migrations.RemoveField(model_name="person", name="name"),
        migrations.RemoveField(model_name="person", name="phone"),
        migrations.RunPython(party_name_trigram, migrations.RunPython.noop),
    ]
