"""ID numbers are stored encrypted (cases.idcrypt): the column widens to hold a Fernet token and
every existing plaintext number is encrypted with the first of ID_NUMBER_KEY. Reversing decrypts
them back (with the keys then configured) before the column narrows again."""

from django.db import migrations

import cases.idcrypt


def encrypt_rows(apps, schema_editor):
    from cases.idcrypt import encrypt, is_token, rewrite_column

    rewrite_column(lambda v: v if is_token(v) else encrypt(v), schema_editor.connection, "cases_person")


def decrypt_rows(apps, schema_editor):
    from cases.idcrypt import decrypt, rewrite_column

    rewrite_column(decrypt, schema_editor.connection, "cases_person")


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_audit_triggers")]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=cases.idcrypt.EncryptedIdNumberField(blank=True, max_length=160, verbose_name="ID number"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
