"""The NIK column now holds tokens only; one NIK per organization, by its hash."""

from django.db import migrations, models

import participants.fields


def secure_delete(apps, schema_editor):
    # SQLite otherwise leaves the clear NIKs of rewritten rows and rebuilt
    # tables in its free pages, where a copy of the file still shows them.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("PRAGMA secure_delete = ON")


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0010_nik_encrypt"),
    ]

    operations = [
        migrations.RunPython(secure_delete, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="participant",
            name="nik",
            field=participants.fields.EncryptedNikField(
                blank=True, max_length=255, verbose_name="NIK"
            ),
        ),
        migrations.AddConstraint(
            model_name="participant",
            constraint=models.UniqueConstraint(
                condition=models.Q(("nik_hash__isnull", False)),
                fields=("organization", "nik_hash"),
                name="unique_participant_nik_per_organization",
            ),
        ),
    ]
