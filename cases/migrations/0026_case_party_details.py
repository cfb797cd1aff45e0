"""What a party said on a case belongs to that case (issue 14; SECURITY.md, "Personal data").

Each party link gets the details columns (name, encrypted ID number and its digest, phone, address,
gender, organisation, credit code) and is filled with its person's current values, which is
exactly what every page, document and export showed for it until now. The register gets a keyed
digest of name + phone, which replaces its plaintext (name, phone) index for matching.
Migration 0026 then drops the details from the register.

ID numbers are copied as stored (Fernet tokens under the same keys): nothing is decrypted. Reversing
copies each person's details back from their earliest link.
"""

from django.db import migrations, models

import cases.idcrypt

BATCH = 2000
COPY_PG = """
UPDATE cases_caseparty AS cp
   SET is_organisation = p.is_organisation, name = p.name, id_number = p.id_number,
       id_number_digest = p.id_number_digest, credit_code = p.credit_code, gender = p.gender,
       phone = p.phone, address = p.address
  FROM cases_person AS p
 WHERE cp.person_id = p.id
"""
COPY_OTHER = """
UPDATE cases_caseparty
   SET (is_organisation, name, id_number, id_number_digest, credit_code, gender, phone, address) = (
       SELECT p.is_organisation, p.name, p.id_number, p.id_number_digest, p.credit_code, p.gender,
              p.phone, p.address
         FROM cases_person AS p WHERE p.id = cases_caseparty.person_id)
"""
BACK = """
UPDATE cases_person
   SET (name, id_number, gender, phone, address) = (
       SELECT cp.name, cp.id_number, cp.gender, cp.phone, cp.address
         FROM cases_caseparty AS cp WHERE cp.person_id = cases_person.id ORDER BY cp.id LIMIT 1)
 WHERE EXISTS (SELECT 1 FROM cases_caseparty AS cp WHERE cp.person_id = cases_person.id)
"""
SELECT_PAIRS = (
    "SELECT id, name, phone FROM cases_person WHERE id > %s AND name <> '' AND phone <> '' "
    "ORDER BY id LIMIT %s"
)
UPDATE_PG = (
    "UPDATE cases_person AS p SET name_phone_digest = v.digest "
    "FROM unnest(%s::bigint[], %s::text[]) AS v(id, digest) WHERE p.id = v.id"
)
UPDATE_ONE = "UPDATE cases_person SET name_phone_digest = %s WHERE id = %s"


def copy_details(apps, schema_editor):
    from cases.people import name_phone_digest

    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        cur.execute(COPY_PG if postgres else COPY_OTHER)
        last = 0
        while True:
            cur.execute(SELECT_PAIRS, [last, BATCH])
            rows = cur.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            digests = [(pk, name_phone_digest(name, phone)) for pk, name, phone in rows]
            if postgres:
                cur.execute(UPDATE_PG, [[pk for pk, _d in digests], [d for _pk, d in digests]])
            else:
                cur.executemany(UPDATE_ONE, [(d, pk) for pk, d in digests])


def copy_back(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        cur.execute(BACK)


class Migration(migrations.Migration):
    dependencies = [("cases", "0025_models_move_to_their_apps")]

    operations = [
        migrations.AddField(
            model_name="caseparty",
            name="is_organisation",
            field=models.BooleanField(default=False, verbose_name="organisation"),
        ),
        migrations.AddField(
            model_name="caseparty",
            name="name",
            field=models.CharField(default="", max_length=100, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="caseparty",
            name="id_number",
            field=cases.idcrypt.EncryptedIdNumberField(
                blank=True, default="", max_length=160, verbose_name="ID number"
            ),
        ),
        migrations.AddField(
            model_name="caseparty",
            name="id_number_digest",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="caseparty",
            name="credit_code",
            field=models.CharField(
                blank=True, default="", max_length=18, verbose_name="unified social credit code"
            ),
        ),
        migrations.AddField(
            model_name="caseparty",
            name="gender",
            field=models.CharField(
                blank=True,
                choices=[("M", "male"), ("F", "female")],
                default="",
                max_length=1,
                verbose_name="gender",
            ),
        ),
        migrations.AddField(
            model_name="caseparty",
            name="phone",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="phone"),
        ),
        migrations.AddField(
            model_name="caseparty",
            name="address",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="address"),
        ),
        migrations.AddField(
            model_name="person",
            name="name_phone_digest",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.RunPython(copy_details, copy_back),
    ]
