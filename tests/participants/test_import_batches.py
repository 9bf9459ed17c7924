"""The batched import path with messy real input, large files and background jobs."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from jobs import services as job_services
from jobs.enums import JobStatus
from jobs.models import Job
from participants import jobs as import_jobs
from participants.importing import run as importing
from participants.models import Enrollment, Participant, ParticipantImport, PendingImport
from participants.spreadsheets import SCAN_LIMIT, Limits, read_table
from tests.participants.test_import import people, run

VILLAGE_CSV = (
    "DAFTAR PESERTA PELATIHAN PKK\r\n"
    "Kampung Jaya Tinggi, Way Kanan\r\n"
    "\r\n"
    "No;Nama Lengkap;No HP;NIK;Dusun;RT/RW\r\n"
    "1;Sumiati;0813 7000 0005;1808054101900001;Dusun I;1/2\r\n"
    "2;Dewi (anak);0813-7000-0005;;Dusun I;01/02\r\n"
    "3;Rohmah;;;Dusun II;3/1\r\n"
    "4;Ibu Sumiati;081370000005;;Dusun I;001/002\r\n"
    "Jumlah;3 orang;;;;\r\n"
).encode("cp1252")


def numbered_csv(count, start=0):
    lines = ["Nama;No HP"] + [f"Peserta {i:05d};0813{i:08d}" for i in range(start, start + count)]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_semicolons_title_rows_and_a_household_phone(program):
    report = run(program, VILLAGE_CSV, "desa.csv", dry_run=True)

    # The daughter shares her mother's phone: a conflict until a person decides;
    # "Ibu Sumiati" is the mother again, merged into her row; the totals row is skipped.
    assert [(c.row, c.existing_row, c.existing.full_name) for c in report.conflicts] == [
        (6, 5, "Sumiati")
    ]
    assert (report.new, report.duplicates, report.skipped) == (2, [(8, 5)], [(9, "baris jumlah")])
    assert Participant.objects.count() == 0

    decided = run(program, VILLAGE_CSV, "desa.csv", decisions={6: "different"})

    assert (decided.written, decided.new, decided.conflicts) == (True, 3, [])
    assert [row[:2] for row in people(program)] == [
        ("Dewi (anak)", "+6281370000005"),
        ("Rohmah", ""),
        ("Sumiati", "+6281370000005"),
    ]
    assert sorted(Participant.objects.values_list("rt", "rw")) == [
        ("001", "002"),
        ("001", "002"),
        ("003", "001"),
    ]


def test_the_same_file_twice_creates_nobody_twice(program):
    run(program, VILLAGE_CSV, "desa.csv", decisions={6: "different"})

    again = run(program, VILLAGE_CSV, "desa.csv")

    assert (again.written, again.new, again.updated, again.unchanged) == (True, 0, 0, 3)
    assert (Participant.objects.count(), Enrollment.objects.count()) == (3, 3)


def test_many_batches_are_one_import_and_one_undo(program, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 7)
    content = numbered_csv(30)

    report = run(program, content, "desa.csv")

    record = ParticipantImport.objects.get()
    assert (report.new, record.new, len(record.undo["created"])) == (30, 30, 30)
    assert Enrollment.objects.filter(program=program).count() == 30


def test_a_crash_mid_import_leaves_nothing_half_written(program, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 5)
    writes = []
    insert = importing.insert_rows

    def failing_insert(model, prepared):
        writes.append(model)
        if len(writes) == 3:  # the second batch's participants
            raise OSError("disk full")
        insert(model, prepared)

    monkeypatch.setattr(importing, "insert_rows", failing_insert)

    with pytest.raises(OSError):
        run(program, numbered_csv(12), "desa.csv")

    assert (Participant.objects.count(), Enrollment.objects.count()) == (0, 0)
    assert ParticipantImport.objects.count() == 0


def test_an_invalid_row_in_a_late_batch_rolls_back_the_early_ones(program, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 5)
    content = numbered_csv(12) + b";0813 bukan nomor\r\n"

    report = run(program, content, "desa.csv")

    assert (report.written, report.invalid_rows, Participant.objects.count()) == (False, [14], 0)


def test_rows_below_the_scanned_ones_are_streamed_from_xlsx_and_csv(program):
    count = SCAN_LIMIT + 40
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Daftar peserta"])
    sheet.append(["Nama", "No HP"])
    for i in range(count):
        sheet.append([f"Peserta {i:05d}", f"0813{i:08d}"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    for name, content in (("desa.xlsx", buffer.getvalue()), ("desa.csv", numbered_csv(count))):
        listed = read_table(content, name).rows
        streamed = read_table(content, name, stream=True).rows

        assert not isinstance(streamed, list)
        assert list(streamed) == listed
        assert len(listed) == count


def test_max_bytes_raises_the_caps_in_proportion():
    web, big = Limits.for_size(None), Limits.for_size(20 * 1024 * 1024)

    assert (web.rows, big.rows, big.caps.row_number) == (50_000, 200_000, 240_000)


def test_the_command_refuses_a_file_above_max_size(program, tmp_path):
    path = tmp_path / "besar.csv"
    path.write_bytes(numbered_csv(60_000))  # 1.4 MB

    with pytest.raises(CommandError, match="raise --max-size"):
        call_command(
            "import_participants",
            str(path),
            program=program.slug,
            consent="paper",
            max_size=1,
        )
    assert Participant.objects.count() == 0


def test_a_large_confirmed_import_is_a_job_and_running_it_twice_creates_nobody_twice(
    login, coordinator, program, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_jobs, "JOB_ROWS", 10)
    monkeypatch.setattr(importing, "BATCH_SIZE", 8)
    client = login(coordinator)
    upload = SimpleUploadedFile("desa.csv", numbered_csv(25) + b";0813 bukan nomor\r\n")
    client.post(
        reverse("participant_import", args=[program.slug]),
        {"file": upload, "consent_method": "paper"},
    )
    pending = PendingImport.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("participant_import_confirm", args=[program.slug, pending.pk]),
            {"action": "valid_only"},
        )

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.status, job.done, job.total, job.params["record"]) == (
        JobStatus.DONE,
        26,
        26,
        ParticipantImport.objects.get().pk,
    )
    assert (Participant.objects.count(), PendingImport.objects.count()) == (25, 0)
    summary = job.result.read().decode("utf-8-sig")
    assert "Baru,25" in summary
    assert "27,Nomor telepon," in summary

    # A worker that died after the commit gets the job again: nobody is created twice.
    name, content = import_jobs.participants_import_job(job, lambda done, total: None)
    job_services.job_run(job_id=job.pk)  # delivered twice: the finished job is left alone

    assert (name, Participant.objects.count(), ParticipantImport.objects.count()) == (
        "hasil-impor-desa.csv",
        25,
        1,
    )
    assert "Baru,25" in content.decode("utf-8-sig")


def test_a_small_confirmed_import_stays_in_the_request(login, coordinator, program):
    client = login(coordinator)
    upload = SimpleUploadedFile("desa.csv", numbered_csv(3))
    client.post(
        reverse("participant_import", args=[program.slug]),
        {"file": upload, "consent_method": "paper"},
    )
    pending = PendingImport.objects.get()

    response = client.post(
        reverse("participant_import_confirm", args=[program.slug, pending.pk]),
        {"action": "import"},
    )

    assert (response.url, pending.rows, Job.objects.count()) == (
        reverse("participant_list", args=[program.slug]),
        3,
        0,
    )
    assert PendingImport.objects.count() == 0
    assert Participant.objects.count() == 3


def estimated():
    """The planner's row counts of the enrolment and people tables (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::int FROM pg_class WHERE relname IN "
            "('participants_participant', 'participants_enrollment') ORDER BY relname"
        )
        return cursor.fetchall()


def analysed_empty():
    """The planner's view of the two tables while they are empty."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE participants_participant, participants_enrollment")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
@pytest.mark.django_db(transaction=True)
def test_a_large_import_leaves_the_planner_knowing_its_rows():
    """After 1,000 new people or more, the people and enrolment tables are
    analysed once the import commits; a smaller import leaves them to autovacuum."""
    from tests.factories import ProgramFactory

    program = ProgramFactory()
    analysed_empty()
    assert estimated() == [("participants_enrollment", 0), ("participants_participant", 0)]

    run(program, numbered_csv(999), "kecil.csv")
    assert estimated() == [("participants_enrollment", 0), ("participants_participant", 0)]

    run(program, numbered_csv(1000, start=999), "provinsi.csv")
    assert estimated() == [
        ("participants_enrollment", 1999),
        ("participants_participant", 1999),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
@pytest.mark.django_db(transaction=True)
def test_the_statistics_are_refreshed_by_the_worker_not_in_the_import(settings):
    """The import answers without waiting for ANALYZE: it queues the refresh,
    once, after its commit; the worker's run of it (twice, as a retried task
    may be) leaves the planner knowing the rows."""
    from django_tasks import default_task_backend

    from participants import tasks
    from tests.factories import ProgramFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    program = ProgramFactory()
    analysed_empty()
    run(program, numbered_csv(1000), "provinsi.csv")

    assert [r.task.name for r in default_task_backend.results] == ["refresh_statistics"]
    assert estimated() == [("participants_enrollment", 0), ("participants_participant", 0)]
    tasks.refresh_statistics.call()
    tasks.refresh_statistics.call()
    assert estimated() == [("participants_enrollment", 1000), ("participants_participant", 1000)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
@pytest.mark.django_db(transaction=True)
def test_an_import_that_cannot_queue_the_refresh_still_answers_with_its_people(monkeypatch):
    from participants import tasks
    from tests.factories import ProgramFactory

    def unreachable():
        raise ConnectionError("the tasks table is not there")

    monkeypatch.setattr(tasks, "refresh_statistics", SimpleNamespace(enqueue=unreachable))
    program = ProgramFactory()

    report = run(program, numbered_csv(1000), "provinsi.csv")

    assert report.new == 1000
    assert Enrollment.objects.filter(program=program).count() == 1000
