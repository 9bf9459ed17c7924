"""The migration encrypts every existing NIK, loses none, and leaves none in clear.

Built forward on a database of its own (see tests/programs/test_upgrade.py):
the schema as it was before encryption, rows with clear NIKs written into it,
then every migration since; then the SQLite file, or a pg_dump of the
PostgreSQL database, is searched for the clear NIKs.
"""

import datetime as dt
import os
import shutil
import subprocess

import pytest
from django.db.migrations.executor import MigrationExecutor

from pkk_training.crypto import decrypt_nik, nik_hash
from tests.programs.test_upgrade import scratch_connection

BEFORE = [("participants", "0008_import_undo")]
NIKS = [f"180805{41 + i:02d}0190{i:04d}" for i in range(25)]
CHANGED_NIK = "3201015505880001"


def build_old_rows(database):
    MigrationExecutor(database).migrate(BEFORE)
    old = MigrationExecutor(database).loader.project_state(BEFORE).apps
    using = database.alias
    organization = (
        old.get_model("programs", "Organization")
        .objects.using(using)
        .create(name="Desa Maju", slug="desa-maju")
    )
    program = (
        old.get_model("programs", "Program")
        .objects.using(using)
        .create(
            organization=organization,
            name="Pelatihan",
            slug="pelatihan",
            village="Maju",
            district="Kec",
            regency="Kab",
            province="Lampung",
            start_date=dt.date(2026, 1, 5),
        )
    )
    Participant = old.get_model("participants", "Participant")
    people = {}
    for i, nik in enumerate([*NIKS, "", ""]):
        person = Participant.objects.using(using).create(
            organization=organization, full_name=f"Peserta {i}", phone=f"+62813000{i:05d}", nik=nik
        )
        people[str(person.pk)] = nik
    changed_pk = next(pk for pk, nik in people.items() if nik == NIKS[0])
    old.get_model("participants", "ParticipantImport").objects.using(using).create(
        program=program,
        file_name="desa.csv",
        consent_method="paper",
        undo={"changed": {changed_pk: [["nik", CHANGED_NIK, NIKS[0]]]}},
    )
    return people


def stored_rows(database):
    with database.cursor() as cursor:
        cursor.execute("SELECT id, nik, nik_hash FROM participants_participant")
        return {str(pk).replace("-", ""): (nik, digest) for pk, nik, digest in cursor.fetchall()}


@pytest.fixture(scope="module")
def migrated(django_db_setup, django_db_blocker, tmp_path_factory):
    """The old rows migrated forward, once for the module's read-only checks:
    (the database, {participant id: clear NIK})."""
    directory = tmp_path_factory.mktemp("nik-upgrade")
    with scratch_connection(directory, django_db_blocker) as database:
        with django_db_blocker.unblock():
            people = build_old_rows(database)
            MigrationExecutor(database).migrate(
                MigrationExecutor(database).loader.graph.leaf_nodes()
            )
        yield database, {pk.replace("-", ""): nik for pk, nik in people.items()}


def test_every_nik_is_encrypted_and_none_is_lost(migrated, django_db_blocker):
    database, people = migrated
    with django_db_blocker.unblock():
        rows = stored_rows(database)
        with database.cursor() as cursor:
            cursor.execute("SELECT undo FROM participants_participantimport")
            (undo,) = cursor.fetchone()

    assert {pk: decrypt_nik(nik) for pk, (nik, _digest) in rows.items()} == people
    assert {pk: digest for pk, (_nik, digest) in rows.items()} == {
        pk: nik_hash(nik) for pk, nik in people.items()
    }
    assert sum(nik.startswith("gAAAAA") for nik, _digest in rows.values()) == 25
    assert sum(nik == "" and digest is None for nik, digest in rows.values()) == 2
    assert CHANGED_NIK not in str(undo) and NIKS[0] not in str(undo)


def test_the_sqlite_file_holds_no_clear_nik_after_the_migration(migrated):
    database, _people = migrated
    if database.vendor != "sqlite":
        pytest.skip("the SQLite file: on PostgreSQL see the pg_dump test")
    path = database.settings_dict["NAME"]
    database.close()  # the last connection folds the write-ahead log into the file

    content = b"".join(
        open(name, "rb").read()  # noqa: SIM115
        for name in (path, f"{path}-wal")
        if os.path.exists(name)
    )
    assert len(content) > 100_000
    assert [nik for nik in [*NIKS, CHANGED_NIK] if nik.encode() in content] == []


def test_a_pg_dump_holds_no_clear_nik_after_the_migration(migrated):
    database, _people = migrated
    if database.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    settings = database.settings_dict
    command = ["pg_dump", "--no-owner", "-h", settings["HOST"] or "127.0.0.1"]
    command += ["-p", str(settings["PORT"] or 5432), "-U", settings["USER"], settings["NAME"]]

    dump = subprocess.run(command, capture_output=True, check=True, text=True).stdout

    assert "participants_participant" in dump
    assert dump.count("gAAAAA") >= 25
    assert [nik for nik in [*NIKS, CHANGED_NIK] if nik in dump] == []


@pytest.mark.django_db
def test_the_current_schema_has_the_hash_column_and_its_constraint():
    # Also makes pytest-django set up the test database when this module runs alone.
    from participants.models import Participant

    constraint = next(
        c
        for c in Participant._meta.constraints
        if c.name == "unique_participant_nik_per_organization"
    )
    assert constraint.fields == ("organization", "nik_hash")
