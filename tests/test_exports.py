"""Every download of every kind, opened the way a user's spreadsheet program opens it.

Built on the demo (marked rolls, answered survey, indicators): an export that
works only on an empty roll proves nothing.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from demo.services import ORGANIZATION_SLUG, PROGRAM_SLUG, demo_load
from participants.models import PendingImport
from programs.models import Program

ATTENDANCE_HEADER = ["No", "Nama", "Dusun", "RT/RW", "Status", "Ditandai oleh", "Waktu ditandai"]
PARTICIPANT_HEADER = [
    "Nama",
    "Nomor telepon",
    "NIK",
    "Tahun lahir",
    "Dusun",
    "RT",
    "RW",
    "Alamat",
    "Status",
    "Sumber",
    "Terdaftar pada",
]
SURVEY_HEADER = [
    "Peserta",
    "Dikirim",
    "Cara pengisian",
    "Apakah Ibu sudah menginstal aplikasi TikTok?",
    "Apakah Ibu sudah berhasil membuat akun TikTok Affiliate?",
    "Apakah Ibu bisa membuat konten video di TikTok?",
    "Seberapa bermanfaat pelatihan ini bagi Ibu?",
    "Kendala atau saran untuk pelatihan berikutnya",
]
INDICATORS = [
    "Peserta yang sudah menginstal aplikasi TikTok",
    "Peserta yang berhasil membuat akun TikTok Affiliate",
    "Peserta yang bisa membuat konten video",
]
# Numerator, denominator and percentage as numbers, so the sheet can sum them.
ROLLUP_HEADER = [
    "Program",
    "Kampung/desa",
    "Kecamatan",
    "Kabupaten/kota",
    "Mulai",
    "Terdaftar",
    "Hadir",
    "Dihitung",
    "Kehadiran %",
    *(f"{label}: {part}" for label in INDICATORS for part in ("berhasil", "dihitung", "%")),
]


@pytest.fixture
def demo(db, client):
    demo_load()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="koordinator"))
    return Program.objects.get(slug=PROGRAM_SLUG)


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(content):
    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook.active.values]


def opened(response, file_format):
    if file_format == "csv":
        return csv_rows(response)
    assert response.status_code == 200
    return xlsx_rows(response.content)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_attendance_export_of_every_demo_session(client, demo, file_format):
    statuses = {}
    for session in demo.sessions.order_by("date", "pk"):
        response = client.get(
            reverse("attendance_export", args=[demo.slug, session.pk, file_format])
        )
        rows = opened(response, file_format)
        assert rows[0] == ATTENDANCE_HEADER
        assert len(rows) == 31  # the header and the 30 enrolled women
        statuses[session.title] = {row[4] for row in rows[1:]}
    training = demo.sessions.get(phase="training").title
    assert "Hadir" in statuses[training]
    assert all(isinstance(s, str) for labels in statuses.values() for s in labels)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_participant_export(client, demo, file_format):
    rows = opened(
        client.get(reverse("participant_export", args=[demo.slug, file_format])), file_format
    )

    assert rows[0] == PARTICIPANT_HEADER
    assert len(rows) == 31
    siti = next(row for row in rows if row[0] == "Siti Aminah")
    assert (siti[1], siti[8], siti[9]) == ("0812-0000-0001", "Aktif", "Impor spreadsheet")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_survey_answers_export(client, demo, file_format):
    survey = demo.surveys.get()

    rows = opened(
        client.get(reverse("survey_export", args=[demo.slug, survey.pk, file_format])),
        file_format,
    )

    assert rows[0] == SURVEY_HEADER
    assert len(rows) == 21  # the 20 trained women answered
    siti = next(row for row in rows if row[0] == "Siti Aminah")
    assert (siti[2], siti[3]) == ("Diisi oleh fasilitator", "Ya")


def test_rollup_export(client, demo):
    response = client.get(reverse("organization_rollup_xlsx", args=[ORGANIZATION_SLUG]))

    rows = opened(response, "xlsx")

    assert rows[0] == ROLLUP_HEADER
    assert rows[1][:3] == [
        "Pelatihan E-Commerce TikTok Affiliate",
        "Jaya Tinggi",
        "Kasui",
    ]
    assert rows[1][9:] == [18, 20, 90, 9, 20, 45, 15, 20, 75]
    assert rows[-1][:1] + rows[-1][9:] == ["Semua program", 18, 20, 90, 9, 20, 45, 15, 20, 75]


def test_program_report_workbook_from_the_command(demo, tmp_path):
    output = tmp_path / "laporan.xlsx"

    call_command(
        "report", demo.slug, "--format", "xlsx", "--output", str(output), stdout=io.StringIO()
    )

    workbook = load_workbook(output)
    assert workbook.sheetnames == ["Tabel 1", "Kehadiran"]
    table = [list(row) for row in workbook["Tabel 1"].values]
    assert table[0] == ["Indikator", "Berhasil", "Dihitung", "%", "Alasan utama", "Kalimat"]
    assert table[1][:3] == ["Peserta yang sudah menginstal aplikasi TikTok", 18, 20]
    attendance = [list(row) for row in workbook["Kehadiran"].values]
    assert attendance[0] == ["Sesi", "Tanggal", "Hadir", "Dihitung", "Persentase"]


def test_invalid_import_rows_export(client, demo):
    upload = SimpleUploadedFile(
        "desa.csv",
        b"Nama,No HP\r\nSiti Baru,081299990000\r\n,081234567890\r\n",
        content_type="text/csv",
    )
    client.post(
        reverse("participant_import", args=[demo.slug]),
        {"file": upload, "consent_method": "paper"},
    )
    pending = PendingImport.objects.get()

    rows = csv_rows(client.get(reverse("participant_import_skipped", args=[demo.slug, pending.pk])))

    assert rows == [["Baris", "Kolom", "Alasan"], ["3", "Nama", "Nama kosong."]]
