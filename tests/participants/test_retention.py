"""Retention per organization, and purge_personal_data's other duties."""

import datetime as dt
import io
import os
import stat
import time

import pytest
from django.core.management import call_command
from django.test import override_settings

from participants.models import Participant
from participants.services import (
    import_temp_files_purge,
    months_before,
    participants_past_retention,
    participants_retention_purge,
)
from participants.tmp_storage import ImportTempStorage
from programs.models import AuditEvent
from tests.factories import (
    EnrollmentFactory,
    OrganizationFactory,
    ParticipantFactory,
    ProgramFactory,
)

TODAY = dt.date(2025, 6, 15)  # with 12 months' retention: programs ended before 2024-06-15


def _program(organization, end, status="finished"):
    return ProgramFactory(
        organization=organization, start_date=dt.date(2019, 1, 1), end_date=end, status=status
    )


@pytest.fixture
def world(db):
    org = OrganizationFactory(retention_months=12)
    old = _program(org, dt.date(2024, 1, 31))
    older = _program(org, dt.date(2023, 8, 15))
    recent = _program(org, dt.date(2024, 7, 1))
    running = _program(org, None, status="running")
    overdue = _program(org, dt.date(2023, 12, 31), status="running")  # never marked finished

    def person(name, *programs, status="active"):
        participant = ParticipantFactory(organization=org, full_name=name)
        for program in programs:
            EnrollmentFactory(program=program, participant=participant, status=status)
        return participant

    people = {
        "one_old": person("Ani", old),
        "two_old": person("Budi", old, older),
        "also_running": person("Cici", old, running),
        "recent": person("Dewi", older, recent),
        "overdue": person("Eka", overdue),
        "none": person("Fitri"),
    }
    people["withdrawn_running"] = person("Gita", running, status="withdrawn")
    EnrollmentFactory(program=old, participant=people["withdrawn_running"])
    erased = person("Hana", old)
    Participant.objects.filter(pk=erased.pk).update(
        erased_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    people["already_erased"] = erased
    keep_all = OrganizationFactory(retention_months=None)
    people["no_setting"] = ParticipantFactory(organization=keep_all, full_name="Indah")
    EnrollmentFactory(
        program=_program(keep_all, dt.date(2020, 1, 31)), participant=people["no_setting"]
    )
    return people


def test_only_those_whose_every_program_ended_past_retention_are_found(world):
    found = participants_past_retention(today=TODAY)

    assert sorted(p.full_name for p in found) == ["Ani", "Budi"]


def test_the_purge_anonymises_them_and_logs_each(world):
    erased = participants_retention_purge(today=TODAY)

    assert erased == 2
    names = dict(Participant.objects.values_list("pk", "full_name"))
    for key in ("one_old", "two_old"):
        pk = world[key].pk
        assert names[pk] == f"Peserta terhapus #{pk.hex[:8]}"
    kept = ["also_running", "recent", "overdue", "none", "withdrawn_running", "no_setting"]
    assert [names[world[key].pk] for key in kept] == [
        "Cici",
        "Dewi",
        "Eka",
        "Fitri",
        "Gita",
        "Indah",
    ]
    assert (
        sorted(AuditEvent.objects.values_list("action", "user", "people", "detail"))
        == [("erasure", None, 1, "participant erased")] * 2
    )
    assert participants_retention_purge(today=TODAY) == 0  # nothing twice


def test_a_day_later_the_recent_program_is_still_kept(world):
    assert participants_retention_purge(today=dt.date(2025, 6, 30)) == 2
    assert participants_retention_purge(today=dt.date(2025, 7, 2)) == 1  # Dewi: both ended


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 6, 15), 12, dt.date(2024, 6, 15)),
        (dt.date(2025, 3, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2025, 1, 10), 13, dt.date(2023, 12, 10)),
        (dt.date(2025, 1, 10), 0, dt.date(2025, 1, 10)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


# The Django admin import's temporary copies


def test_the_admin_import_keeps_its_copies_in_a_private_folder(tmp_path):
    with override_settings(IMPORT_TEMP_DIR=str(tmp_path / "imports")):
        storage = ImportTempStorage(read_mode="rb")
        storage.save(b"Nama;NIK\nSiti;1808054101900001\n")
        again = ImportTempStorage(name=storage.name, read_mode="rb")

        assert again.read() == b"Nama;NIK\nSiti;1808054101900001\n"
        path = tmp_path / "imports" / storage.name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        again.remove()
        assert os.listdir(tmp_path / "imports") == []


def test_copies_older_than_a_day_are_deleted(tmp_path):
    folder = tmp_path / "imports"
    folder.mkdir()
    for name, hours in (("old", 40 * 24), ("yesterday", 25), ("fresh", 2)):
        path = folder / name
        path.write_bytes(b"Siti;1808054101900001")
        then = time.time() - hours * 3600
        os.utime(path, (then, then))

    with override_settings(IMPORT_TEMP_DIR=str(folder)):
        assert import_temp_files_purge() == 2

    assert os.listdir(folder) == ["fresh"]


def test_no_folder_yet_is_no_error(tmp_path):
    with override_settings(IMPORT_TEMP_DIR=str(tmp_path / "missing")):
        assert import_temp_files_purge() == 0


def test_the_command_reports_each_purge(world, tmp_path, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    folder = tmp_path / "imports"
    folder.mkdir()
    (folder / "old").write_bytes(b"x")
    os.utime(folder / "old", (time.time() - 48 * 3600,) * 2)
    out = io.StringIO()

    with override_settings(IMPORT_TEMP_DIR=str(folder)):
        call_command("purge_personal_data", stdout=out)

    assert out.getvalue() == (
        "pending imports deleted: 0\n"
        "admin import temp files deleted: 1\n"
        "participants anonymised after retention: 2\n"
    )
