"""Room for encrypted NIKs and their keyed hash (filled by 0010)."""

from django.db import migrations, models


def secure_delete(apps, schema_editor):
    # SQLite otherwise leaves the clear NIKs of rewritten rows and rebuilt
    # tables in its free pages, where a copy of the file still shows them.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("PRAGMA secure_delete = ON")


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0008_import_undo"),
    ]

    operations = [
        migrations.RunPython(secure_delete, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(
            model_name="participant",
            name="unique_participant_nik_per_organization",
        ),
        migrations.AddField(
            model_name="participant",
            name="nik_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        # Room for a token (120 characters for 16 digits), still a plain column.
        migrations.AlterField(
            model_name="participant",
            name="nik",
            field=models.CharField(blank=True, max_length=255, verbose_name="NIK"),
        ),
    ]
