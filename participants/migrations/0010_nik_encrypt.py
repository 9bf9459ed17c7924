"""NIKs encrypted at rest, with a keyed hash for finding and for uniqueness.

Every existing NIK is encrypted in place and hashed, and so are the NIKs an
import keeps for its undo; backwards, they are decrypted again. Uses the
PKK_NIK_KEY of the settings (a development key in DEBUG and tests).
"""

from django.db import migrations

from pkk_training.crypto import decrypt_nik, encrypt_nik, nik_hash

BATCH = 1000


def _undo_niks(imports, convert):
    for record in imports.iterator(chunk_size=BATCH):
        changed = (record.undo or {}).get("changed", {})
        touched = False
        for fields in changed.values():
            for entry in fields:
                if entry[0] == "nik":
                    entry[1], entry[2] = convert(entry[1]), convert(entry[2])
                    touched = True
        if touched:
            imports.filter(pk=record.pk).update(undo=record.undo)


def encrypt_niks(apps, schema_editor):
    alias = schema_editor.connection.alias
    people = apps.get_model("participants", "Participant").objects.using(alias)
    rows = people.exclude(nik="").only("pk", "nik")
    batch = []
    for participant in rows.iterator(chunk_size=BATCH):
        participant.nik_hash = nik_hash(participant.nik)
        participant.nik = encrypt_nik(participant.nik)
        batch.append(participant)
        if len(batch) == BATCH:
            people.bulk_update(batch, ["nik", "nik_hash"])
            batch = []
    people.bulk_update(batch, ["nik", "nik_hash"])
    _undo_niks(apps.get_model("participants", "ParticipantImport").objects.using(alias), encrypt_nik)


def decrypt_niks(apps, schema_editor):
    alias = schema_editor.connection.alias
    people = apps.get_model("participants", "Participant").objects.using(alias)
    rows = people.exclude(nik="").only("pk", "nik")
    batch = []
    for participant in rows.iterator(chunk_size=BATCH):
        participant.nik = decrypt_nik(participant.nik)
        participant.nik_hash = None
        batch.append(participant)
        if len(batch) == BATCH:
            people.bulk_update(batch, ["nik", "nik_hash"])
            batch = []
    people.bulk_update(batch, ["nik", "nik_hash"])
    _undo_niks(apps.get_model("participants", "ParticipantImport").objects.using(alias), decrypt_nik)


def secure_delete(apps, schema_editor):
    # SQLite otherwise leaves the clear NIKs of rewritten rows and rebuilt
    # tables in its free pages, where a copy of the file still shows them.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("PRAGMA secure_delete = ON")


class Migration(migrations.Migration):
    # Its own migration (and transaction): PostgreSQL refuses to alter a table
    # with pending trigger events from rows updated in the same transaction.

    dependencies = [
        ("participants", "0009_nik_hash"),
    ]

    operations = [
        migrations.RunPython(secure_delete, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(encrypt_niks, decrypt_niks, elidable=False),
    ]
