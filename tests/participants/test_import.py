import csv
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from checklists.models import Track
from participants.models import Enrollment, Participant, ParticipantImport, PendingImport
from participants.services import participants_import
from tests.factories import ChecklistTemplateFactory, EnrollmentFactory, ParticipantFactory

HEADER = ["Nama Lengkap", "No. HP", "NIK", "Dusun", "RT", "RW", "Jalur"]


def xlsx(rows, header=HEADER, text_nik=True):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if text_nik:
        for cell in sheet["C"]:
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(lines, encoding="utf-8", bom=False, delimiter=","):
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def run(program, content, name, **kwargs):
    return participants_import(
        program=program,
        by=None,
        file_name=name,
        content=content,
        consent_method="paper",
        **kwargs,
    )


def people(program):
    return sorted(
        Enrollment.objects.filter(program=program).values_list(
            "participant__full_name", "participant__phone", "participant__nik"
        )
    )


def test_xlsx_with_every_kind_of_row(program):
    template = ChecklistTemplateFactory(
        organization=program.organization, name="Daftar sebagai Seller"
    )
    known = EnrollmentFactory(
        program=program, participant__full_name="Sri Wahyuni", participant__phone="+6281200000002"
    ).participant
    content = xlsx(
        [
            [
                "Siti Aminah",
                81234567890,
                "1808054101900001",
                "Dusun I",
                "1",
                "2",
                "Daftar sebagai Seller",
            ],
            [None, None, None, None, None, None, None],  # a blank row between groups
            ["Sri Wahyuni", "0812-0000-0002", None, "Dusun II", None, None, None],
            [
                "siti aminah",
                "+6281234567890",
                None,
                None,
                None,
                None,
                None,
            ],  # the same person again
        ]
    )

    report = run(program, content, "desa.xlsx")

    assert (report.new, report.updated, report.unchanged, report.duplicates, report.invalid) == (
        1,
        1,
        0,
        [(5, 2)],
        [],
    )
    assert people(program) == [
        ("Siti Aminah", "+6281234567890", "1808054101900001"),
        ("Sri Wahyuni", "+6281200000002", ""),
    ]
    known.refresh_from_db()
    assert known.dusun == "Dusun II"
    siti = Participant.objects.get(phone="+6281234567890")
    assert (siti.consent_method, siti.dusun, siti.rt) == ("paper", "Dusun I", "001")
    assert list(Track.objects.values_list("enrollment__participant__full_name", "template")) == [
        ("Siti Aminah", template.pk)
    ]
    record = ParticipantImport.objects.get()
    assert (record.file_name, record.new, record.updated, record.duplicates) == (
        "desa.xlsx",
        1,
        1,
        1,
    )


def test_rounded_nik_is_refused_with_advice_and_nothing_is_written(program):
    content = xlsx(
        [
            ["Siti", "081234567890", 1808054101900001, "", "", "", ""],
            ["Ani", "081234567891", "", "", "", "", ""],
        ],
        text_nik=False,
    )

    report = run(program, content, "desa.xlsx")

    assert report.written is False
    assert report.invalid == [
        (
            2,
            "NIK",
            "NIK 1808054101900001 tersimpan sebagai angka, yang dibulatkan oleh Excel; "
            "ubah format kolom NIK menjadi teks lalu ketik ulang.",
        )
    ]
    assert (
        Participant.objects.count(),
        Enrollment.objects.count(),
        ParticipantImport.objects.count(),
    ) == (0, 0, 0)


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [("utf-8", True, ","), ("utf-8", False, ";"), ("cp1252", False, ";"), ("cp1252", False, ",")],
)
def test_csv_in_every_usual_encoding_and_delimiter(program, encoding, bom, delimiter):
    content = csv_bytes(
        [
            ["Nama", "HP", "NIK", "RT"],
            ["Siti Ma’rifah José", "81234567890", "", "003"],
            ["", "", "", ""],
            ["Ani", "6281234567891", "1808 0541 0190 0001", ""],
        ],
        encoding=encoding,
        bom=bom,
        delimiter=delimiter,
    )

    report = run(program, content, "desa.csv")

    assert (report.new, report.invalid) == (2, [])
    assert people(program) == [
        ("Ani", "+6281234567891", "1808054101900001"),
        (
            "Siti Ma’rifah José",
            "+6281234567890",
            "",
        ),
    ]


def test_invalid_rows_are_listed_with_row_column_and_reason(program):
    content = csv_bytes(
        [
            ["Nama", "No HP", "NIK", "Tahun Lahir"],
            ["", "081234567890", "", ""],
            ["Budi", "12", "3.27E+15", "1850"],
            ["Cici", "081234567892", "", "1990"],
        ]
    )

    report = run(program, content, "desa.csv")

    assert report.invalid == [
        (2, "Nama", "Nama kosong."),
        (3, "Nomor telepon", "12 bukan nomor telepon yang valid (contoh: 0812 3456 7890)."),
        (
            3,
            "NIK",
            "NIK 3.27E+15 dibulatkan oleh spreadsheet (notasi ilmiah); ubah format kolom "
            "NIK menjadi teks, lalu ketik ulang NIK tersebut.",
        ),
        (3, "Tahun lahir", "1850 bukan tahun lahir."),
    ]
    assert (report.written, Participant.objects.count()) == (False, 0)

    valid_only = run(program, content, "desa.csv", valid_only=True)

    assert (valid_only.written, valid_only.new, people(program)) == (
        True,
        1,
        [("Cici", "+6281234567892", "")],
    )
    assert ParticipantImport.objects.get().skipped == 2


def test_reimporting_the_same_file_changes_nothing(program):
    content = csv_bytes([["Nama", "No HP"], ["Siti", "081234567890"], ["Ani", "081234567891"]])
    run(program, content, "desa.csv")
    before = list(Participant.objects.order_by("pk").values())

    again = run(program, content, "desa.csv")

    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Participant.objects.order_by("pk").values()) == before
    assert Enrollment.objects.count() == 2


def test_existing_participant_of_the_organization_is_enrolled_not_duplicated(program):
    known = ParticipantFactory(
        organization=program.organization,
        full_name="Ibu Siti",
        phone="+6281234567890",
        nik="1808054101900001",
        consent_method="",
        consent_at=None,
    )
    content = csv_bytes([["Nama", "NIK"], ["Siti", "1808054101900001"]])

    report = run(program, content, "desa.csv")

    known.refresh_from_db()
    assert (report.new, report.updated, Participant.objects.count()) == (0, 1, 1)
    assert (known.consent_method, Enrollment.objects.get().participant) == ("paper", known)


def test_conflicting_keys_are_invalid(program):
    ParticipantFactory(organization=program.organization, full_name="A", phone="+6281234567890")
    ParticipantFactory(organization=program.organization, full_name="B", nik="1808054101900001")
    content = csv_bytes([["Nama", "HP", "NIK"], ["X", "081234567890", "1808054101900001"]])

    report = run(program, content, "desa.csv")

    assert report.invalid == [(2, "NIK", "Nomor telepon milik A, tetapi NIK milik B.")]


def test_similar_names_with_other_keys_are_flagged(program):
    ParticipantFactory(
        organization=program.organization, full_name="Siti Aminah", phone="+6281200000001"
    )
    content = csv_bytes([["Nama", "HP"], ["SITI  AMINAH", "081299999999"]])

    report = run(program, content, "desa.csv", dry_run=True)

    assert [(row, name, p.full_name) for row, name, p in report.near_duplicates] == [
        (2, "SITI AMINAH", "Siti Aminah")
    ]


def test_zip_bomb_is_refused_before_it_is_opened(program):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    content = buffer.getvalue()

    with pytest.raises(ValidationError) as caught:
        run(program, content, "bom.xlsx")

    assert (len(content) < 200_000, caught.value.code) == (True, "zip_bomb")


def test_oversize_and_wrong_files_are_refused(program):
    with pytest.raises(ValidationError) as big:
        run(program, b"a" * (5 * 1024 * 1024 + 1), "besar.csv")
    with pytest.raises(ValidationError) as pdf:
        run(program, b"%PDF-1.4", "daftar.pdf")
    with pytest.raises(ValidationError) as broken:
        run(program, b"not a zip", "rusak.xlsx")
    with pytest.raises(ValidationError) as nameless:
        run(program, csv_bytes([["HP"], ["0812"]]), "desa.csv")

    assert [e.value.code for e in (big, pdf, broken, nameless)] == [
        "too_large",
        "format",
        "corrupt",
        "no_name_column",
    ]


@pytest.mark.parametrize("rows", [1, 3])
def test_import_makes_no_per_row_queries(program, rows, django_assert_num_queries):
    content = csv_bytes(
        [["Nama", "No HP"], *[[f"Peserta {i}", f"0813{i:08d}"] for i in range(rows)]]
    )

    # 10: remembered columns, the checklists (the "Jalur" column), the program's
    # enrolments and the organization's participants read once each; one INSERT
    # of participants and one of enrolments per batch; the record, its audit
    # event and the transaction's savepoint and release. PostgreSQL's COPY is
    # not a query Django counts: 8 there.
    with django_assert_num_queries(10 if connection.vendor == "sqlite" else 8):
        report = run(program, content, "desa.csv")

    assert report.new == rows


def test_import_page_previews_then_confirms(login, coordinator, program):
    client = login(coordinator)
    upload = SimpleUploadedFile(
        "desa.csv",
        csv_bytes([["Nama", "No HP"], ["Siti", "081234567890"]]),
        content_type="text/csv",
    )

    preview = client.post(
        reverse("participant_import", args=[program.slug]),
        {"file": upload, "consent_method": "paper", "consent_note": "Formulir PKK"},
    )
    pending = PendingImport.objects.get()
    assert (preview.context["report"].new, Participant.objects.count()) == (1, 0)

    done = client.post(
        reverse("participant_import_confirm", args=[program.slug, pending.pk]), {"action": "import"}
    )

    assert done.url == reverse("participant_list", args=[program.slug])
    assert people(program) == [("Siti", "+6281234567890", "")]
    assert (PendingImport.objects.count(), ParticipantImport.objects.get().consent_note) == (
        0,
        "Formulir PKK",
    )


def test_facilitators_cannot_import(login, facilitator, program):
    response = login(facilitator).get(reverse("participant_import", args=[program.slug]))

    assert response.status_code == 403


def test_command_imports_and_dry_runs(program, tmp_path):
    path = tmp_path / "desa.csv"
    path.write_bytes(csv_bytes([["Nama", "No HP"], ["Siti", "081234567890"]]))
    out = io.StringIO()

    call_command(
        "import_participants",
        path,
        "--program",
        program.slug,
        "--consent",
        "paper",
        "--dry-run",
        stdout=out,
    )
    assert Participant.objects.count() == 0
    call_command(
        "import_participants", path, "--program", program.slug, "--consent", "paper", stdout=out
    )

    assert people(program) == [("Siti", "+6281234567890", "")]
    with pytest.raises(CommandError, match="No program with the slug 'nope'"):
        call_command("import_participants", path, "--program", "nope", "--consent", "paper")


def ods(rows):
    """A minimal OpenDocument spreadsheet (LibreOffice), text cells only."""

    def cell(value):
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )

    table = "".join(
        f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Peserta">{table}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def test_ods_from_libreoffice(program):
    content = ods([["Nama", "No HP"], ["Siti", "081234567890"]])

    report = run(program, content, "desa.ods")

    assert (report.new, people(program)) == (1, [("Siti", "+6281234567890", "")])


def test_import_page_refuses_an_oversize_upload_with_a_message(login, coordinator, program):
    upload = SimpleUploadedFile("besar.csv", b"a" * (5 * 1024 * 1024 + 1), content_type="text/csv")

    response = login(coordinator).post(
        reverse("participant_import", args=[program.slug]),
        {"file": upload, "consent_method": "paper"},
    )

    assert response.context["form"].errors == {
        "file": ["Berkas lebih dari 5 MB; pecah menjadi beberapa berkas."]
    }
    assert PendingImport.objects.count() == 0


def test_preview_offers_the_invalid_rows_for_download(login, coordinator, program):
    client = login(coordinator)
    upload = SimpleUploadedFile(
        "desa.csv",
        csv_bytes([["Nama", "No HP"], ["", "081234567890"], ["Ani", "12"]]),
        content_type="text/csv",
    )
    client.post(
        reverse("participant_import", args=[program.slug]),
        {"file": upload, "consent_method": "paper"},
    )
    pending = PendingImport.objects.get()

    response = client.get(reverse("participant_import_skipped", args=[program.slug, pending.pk]))

    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == [
        ["Baris", "Kolom", "Alasan"],
        ["2", "Nama", "Nama kosong."],
        ["3", "Nomor telepon", "12 bukan nomor telepon yang valid (contoh: 0812 3456 7890)."],
    ]
