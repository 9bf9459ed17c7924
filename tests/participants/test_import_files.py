"""The spreadsheets villages really keep (issue #12): each file is built here."""

import datetime
import io
import os
import subprocess
import sys
import textwrap
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from participants.models import Enrollment, Participant
from participants.services import participants_import
from participants.spreadsheets import clean_text, read_table
from participants.validators import person_name_key
from tests.factories import EnrollmentFactory, ParticipantFactory


def workbook_bytes(build):
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(program, content, name, **kwargs):
    return participants_import(
        program=program, by=None, file_name=name, content=content, consent_method="paper", **kwargs
    )


def people(program):
    return sorted(
        Enrollment.objects.filter(program=program).values_list(
            "participant__full_name",
            "participant__phone",
            "participant__nik",
            "participant__dusun",
            "participant__rt",
            "participant__rw",
            "participant__address",
        )
    )


def titled_sheet(workbook):
    sheet = workbook.active
    sheet.append(["DAFTAR PESERTA PELATIHAN TIKTOK AFFILIATE DESA JAYA TINGGI"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["No.", "Nama Lengkap (sesuai KTP)", "No. HP/WA", "NIK (16 digit)", "RT/RW"])
    sheet.append([1, "Siti Aminah", "0812-3456-7890", "1808054101900001", "1/2"])
    sheet.append([2, "IBU SUMIATI", "—", "-", "03/004"])
    sheet.append([None, None, None, None, None])
    sheet.append(["JUMLAH", "2 orang"])
    sheet.append([])
    sheet.append(["", "Mengetahui,"])
    sheet.append(["", "Ketua TP PKK Desa Jaya Tinggi"])
    sheet.append(["", "( Hj. Rohmah )"])
    for cell in sheet["C"] + sheet["D"]:
        cell.number_format = "@"


def test_title_row_blank_row_and_new_aliases_are_read(program):
    report = run(program, workbook_bytes(titled_sheet), "daftar.xlsx")

    assert (report.new, report.invalid, report.conflicts) == (2, [], [])
    assert people(program) == [
        ("IBU SUMIATI", "", "", "", "003", "004", ""),
        ("Siti Aminah", "+6281234567890", "1808054101900001", "", "001", "002", ""),
    ]
    assert report.table.header_rows == [3]
    assert [(c.header, c.field) for c in report.table.columns] == [
        ("No.", "-"),
        ("Nama Lengkap (sesuai KTP)", "full_name"),
        ("No. HP/WA", "phone"),
        ("NIK (16 digit)", "nik"),
        ("RT/RW", "rt_rw"),
    ]
    assert [(row, str(reason)) for row, reason in report.skipped] == [
        (7, "baris jumlah"),
        (9, "blok tanda tangan"),
        (10, "blok tanda tangan"),
        (11, "blok tanda tangan"),
    ]


def test_the_list_behind_a_cover_sheet_is_found(program):
    def build(workbook):
        cover = workbook.active
        cover.title = "Sampul"
        cover.append(["Laporan Kegiatan PKK"])
        cover.append(["Desa Jaya Tinggi, 2025"])
        sheet = workbook.create_sheet("Peserta")
        sheet.append(["Nama", "Nomor HP/WA (aktif)"])
        sheet.append(["Ratna", "081370000001"])

    report = run(program, workbook_bytes(build), "daftar.xlsx")

    assert (report.table.sheet, report.table.sheet_names, report.new) == (
        "Peserta",
        ["Sampul", "Peserta"],
        1,
    )
    with pytest.raises(ValidationError) as caught:
        run(program, workbook_bytes(build), "daftar.xlsx", sheet="Sampul", dry_run=True)
    assert caught.value.code == "no_name_column"


def test_two_row_merged_header_puts_dusun_in_dusun(program):
    def build(workbook):
        sheet = workbook.active
        sheet.append(["Nama", "HP/WA", "Alamat", None, None])
        sheet.append([None, None, "Dusun", "RT", "RW"])
        sheet.merge_cells("A1:A2")
        sheet.merge_cells("B1:B2")
        sheet.merge_cells("C1:E1")
        sheet.append(["Ani", "081370000003", "Dusun II", "2", "5"])

    report = run(program, workbook_bytes(build), "daftar.xlsx")

    assert report.table.header_rows == [1, 2]
    assert people(program) == [("Ani", "+6281370000003", "", "Dusun II", "002", "005", "")]


def test_google_forms_csv_ignores_the_timestamp(program):
    content = (
        b"Timestamp,Nama Lengkap,Nomor WhatsApp,Dusun\n"
        b"2025/05/01 10:00:00 AM GMT+7,Rina,081370000004,Dusun I\n"
    )

    report = run(program, content, "Formulir (Jawaban).csv")

    assert report.table.columns[0].field == "-"
    assert people(program) == [("Rina", "+6281370000004", "", "Dusun I", "", "", "")]


def test_indonesian_excel_csv_with_semicolons_and_rounded_nik(program):
    content = "Nama;No HP;NIK\r\nSiti;081234567890;1,80805E+15\r\n".encode("cp1252")

    report = run(program, content, "desa.csv")

    assert [(row, column) for row, column, _reason in report.invalid] == [(2, "NIK")]


@pytest.mark.parametrize(
    "content",
    [
        "Nama,No HP\r\nSiti,081234567890\r\n".encode("utf-16"),
        b"Nama,No HP\rSiti,081234567890\r",
        b"Nama,No HP\nSi\x00ti,081234567890\n",
    ],
    ids=["utf-16", "old-mac", "nul"],
)
def test_unusual_csv_encodings_are_read(program, content):
    report = run(program, content, "desa.csv")

    assert people(program) == [("Siti", "+6281234567890", "", "", "", "", "")]
    assert report.new == 1


def test_an_overlong_csv_field_is_a_message(program):
    content = b'Nama,No HP\n"' + b"a" * 140_000 + b'",081234567890\n'

    report = run(program, content, "desa.csv", dry_run=True)

    assert report.invalid == [(2, "Nama", "Lebih dari 200 karakter; persingkat.")]


def test_control_and_bidi_characters_are_stripped():
    assert clean_text("Si\u202eti\u200b  Ami\x07nah\ufeff") == "Siti Aminah"
    assert [clean_text(v) for v in ("-", "—", " – ")] == ["", "", ""]


def test_names_compare_without_titles_and_capitals():
    assert {
        person_name_key(n) for n in ("IBU SUMIATI", "Sumiati", "Bu Sumiati", "Hj. Sumiati")
    } == {"sumiati"}
    assert person_name_key("Ny. Sri Wahyuni, S.Pd.") == "sri wahyuni"


def test_a_cell_with_two_phones_or_a_remark_is_invalid(program):
    content = b"Nama,No HP\nSiti,0812 3456 7890 / 0813 7000 0001\nAni,081370000002 (suami)\n"

    report = run(program, content, "desa.csv", dry_run=True)

    assert [(row, column, reason) for row, column, reason in report.invalid] == [
        (
            2,
            "Nomor telepon",
            "0812 3456 7890 / 0813 7000 0001 bukan satu nomor telepon: tulis nomornya saja, "
            "dan keterangan di kolom lain.",
        ),
        (
            3,
            "Nomor telepon",
            "081370000002 (suami) bukan satu nomor telepon: tulis nomornya saja, "
            "dan keterangan di kolom lain.",
        ),
    ]


def test_reimporting_rows_without_phone_or_nik_changes_nothing(program):
    content = b"Nama,Dusun,RT\nSumiati,Dusun I,1\nRohmah,Dusun II,2\n"
    run(program, content, "desa.csv")

    again = run(program, content, "desa.csv")

    assert (again.new, again.updated, again.unchanged, Participant.objects.count()) == (0, 0, 2, 2)


def test_a_shared_household_phone_is_a_conflict_never_a_merge(program):
    mother = EnrollmentFactory(
        program=program, participant__full_name="Sumiati", participant__phone="+6281370000005"
    ).participant
    content = b"Nama,No HP\nIBU SUMIATI,081370000005\nDewi (anak),081370000005\n"

    report = run(program, content, "desa.csv")

    assert report.written is False
    assert [(c.row, c.existing.full_name) for c in report.conflicts] == [(3, "Sumiati")]
    assert Participant.objects.count() == 1

    decided = run(program, content, "desa.csv", decisions={3: "different"})

    mother.refresh_from_db()
    assert (decided.written, decided.new, decided.conflicts) == (True, 1, [])
    # Both keep the household's phone, and the list imports again without a question.
    assert [row[:2] for row in people(program)] == [
        ("Dewi (anak)", "+6281370000005"),
        ("Sumiati", "+6281370000005"),
    ]
    again = run(program, content, "desa.csv")
    assert (again.written, again.new, again.unchanged, again.conflicts) == (True, 0, 2, [])


def test_same_phone_and_another_name_never_renames(program):
    known = ParticipantFactory(
        organization=program.organization, full_name="Sri Wahyuni", phone="+6281370000006"
    )
    content = b"Nama,No HP\nSri Rahayu,081370000006\n"

    report = run(program, content, "desa.csv", valid_only=True)

    known.refresh_from_db()
    assert (report.written, len(report.conflicts), known.full_name) == (True, 1, "Sri Wahyuni")

    same = run(program, content, "desa.csv", decisions={"2": "same"})

    known.refresh_from_db()
    assert (same.updated, known.full_name) == (1, "Sri Rahayu")


def test_same_nik_and_another_name_is_a_conflict(program):
    ParticipantFactory(
        organization=program.organization, full_name="Siti Aminah", nik="1808054101900001"
    )
    content = b"Nama,NIK\nSiti Rahmawati,1808054101900001\n"

    report = run(program, content, "desa.csv", dry_run=True)

    assert [(c.row, c.reason) for c in report.conflicts] == [(2, "NIK sama, nama lain.")]


def test_two_rows_sharing_a_phone_in_one_file_are_a_conflict(program):
    content = b"Nama,No HP\nSumiati,081370000007\nDewi,081370000007\n"

    report = run(program, content, "desa.csv", dry_run=True)

    assert [(c.row, c.existing_row, c.existing.full_name) for c in report.conflicts] == [
        (3, 2, "Sumiati")
    ]


CRAFTED = textwrap.dedent(
    """
    import resource, sys, django, os
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkk_training.settings")
    django.setup()
    resource.setrlimit(resource.RLIMIT_AS, (600 * 1024 * 1024, 600 * 1024 * 1024))
    from django.core.exceptions import ValidationError
    from participants.spreadsheets import read_table
    content = sys.stdin.buffer.read()
    try:
        read_table(content, sys.argv[1])
    except ValidationError as error:
        print(error.code)
    """
)


def crafted_xlsx():
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Nama</t>'
        '</is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        "</worksheet>"
    )
    return _xlsx_with(sheet)


def crafted_xlsx_dimension():
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>'
    )
    return _xlsx_with(sheet)


def _xlsx_with(sheet):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def _xlsx_with_strings(sheet, shared):
    content = io.BytesIO(_xlsx_with(sheet))
    with zipfile.ZipFile(content, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", shared)
    return content.getvalue()


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


@pytest.mark.parametrize("part", ["sheet", "shared strings"])
def test_entity_declarations_in_a_sheet_are_refused(part):
    sheet = (
        f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    shared = f'<sst xmlns="{MAIN_NS}"><si><t>Nama &lol2;</t></si></sst>'
    if part == "sheet":
        sheet = LAUGHS + sheet.replace("<v>0</v>", "<v>&lol2;</v>")
    else:
        shared = LAUGHS + shared

    with pytest.raises(ValidationError) as caught:
        read_table(_xlsx_with_strings(sheet, shared), "a.xlsx")

    assert caught.value.code == "corrupt"


def test_shared_strings_leave_out_phonetic_runs_and_join_rich_text():
    sheet = (
        f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>81370000013</v></c></row>'
        "</sheetData></worksheet>"
    )
    shared = (
        f'<sst xmlns="{MAIN_NS}"><si><t>Nama</t></si><si><t>No HP</t></si>'
        "<si><r><t>Siti </t></r><r><t>Rahma</t></r><rPh><t>シティ</t></rPh></si></sst>"
    )

    table = read_table(_xlsx_with_strings(sheet, shared), "a.xlsx")

    assert table.rows == [(2, {"full_name": "Siti Rahma", "phone": "81370000013"})]


def crafted_ods():
    row = (
        '<table:table-row table:number-rows-repeated="100000000">'
        '<table:table-cell table:number-columns-repeated="1000000" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    content = (
        '<?xml version="1.0"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        f'<office:spreadsheet><table:table table:name="S">{row}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("build", "name"),
    [(crafted_xlsx, "a.xlsx"), (crafted_xlsx_dimension, "b.xlsx"), (crafted_ods, "c.ods")],
    ids=["cell-at-XFD1048576", "declared-dimension", "repeated-cells"],
)
def test_crafted_files_are_refused_within_a_memory_limit(build, name):
    content = build()

    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CRAFTED, name],
        input=content,
        capture_output=True,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        timeout=120,
        check=False,
    )

    assert (len(content) < 3000, done.returncode, done.stdout.decode().strip()) == (
        True,
        0,
        "too_large_sheet",
    ), done.stderr.decode()[-2000:]


def test_numbers_are_read_as_their_digits():
    def build(workbook):
        sheet = workbook.active
        sheet.append(["Nama", "No HP", "Tahun Lahir"])
        sheet.append(["Siti", 81234567890, 1985])

    table = read_table(workbook_bytes(build), "a.xlsx")

    assert table.rows == [(2, {"full_name": "Siti", "phone": "81234567890", "birth_year": "1985"})]


def upload(client, program, content, name="desa.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(
        reverse("participant_import", args=[program.slug]),
        {"file": SimpleUploadedFile(name, content), "consent_method": "paper"},
    )


def test_preview_maps_a_column_decides_a_conflict_and_remembers_the_mapping(
    login, coordinator, program
):
    from django.urls import reverse

    from participants.models import ImportColumnMapping, PendingImport

    EnrollmentFactory(
        program=program, participant__full_name="Sumiati", participant__phone="+6281370000008"
    )
    client = login(coordinator)
    content = b"DAFTAR HADIR\nNama,Kontak Aktif,Dusun\nDewi,081370000008,Dusun I\n"

    preview = upload(client, program, content)

    pending = PendingImport.objects.get()
    assert [(c.header, c.field) for c in preview.context["report"].table.columns] == [
        ("Nama", "full_name"),
        ("Kontak Aktif", ""),
        ("Dusun", "dusun"),
    ]
    url = reverse("participant_import_confirm", args=[program.slug, pending.pk])
    mapped = client.post(url, {"action": "refresh", "map:kontakaktif": "phone"})
    assert [(c.row, c.existing.full_name) for c in mapped.context["report"].conflicts] == [
        (3, "Sumiati")
    ]
    assert [r["status"] for r in mapped.context["rows"]] == ["conflict"]

    done = client.post(url, {"action": "import", "decision:3": "different"})

    assert done.status_code == 302
    assert [row[:4] for row in people(program)] == [
        ("Dewi", "+6281370000008", "", "Dusun I"),
        ("Sumiati", "+6281370000008", "", people(program)[1][3]),
    ]
    assert list(ImportColumnMapping.objects.values_list("header", "field")) == [
        ("kontakaktif", "phone")
    ]
    again = upload(client, program, b"Nama,Kontak Aktif\nRina,081370000009\n")
    assert again.context["report"].table.columns[1].field == "phone"


def test_preview_rows_say_what_happens(login, coordinator, program):
    ParticipantFactory(
        organization=program.organization,
        full_name="Sri",
        phone="+6281370000010",
        dusun="Dusun I",
        consent_method="paper",
    )
    client = login(coordinator)
    content = b"Nama,No HP,Dusun\nSri,081370000010,Dusun II\nAni,12,\nJUMLAH,,\n"

    preview = upload(client, program, content)

    assert [
        (r["number"], r["status"], r["changes"], r["invalid"]) for r in preview.context["rows"]
    ] == [
        (2, "update", [("Dusun", "Dusun I", "Dusun II")], []),
        (
            3,
            "invalid",
            [],
            [("Nomor telepon", "12 bukan nomor telepon yang valid (contoh: 0812 3456 7890).")],
        ),
    ]
    assert [(row, str(reason)) for row, reason in preview.context["report"].skipped] == [
        (4, "baris jumlah")
    ]
    assert b'data-status="skipped"' in preview.content


def test_template_keeps_nik_and_phone_as_text_and_its_example_is_never_imported(
    login, coordinator, program
):
    from django.urls import reverse
    from openpyxl import load_workbook

    response = login(coordinator).get(reverse("participant_import_template", args=[program.slug]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Peserta"]

    assert workbook.sheetnames == ["Peserta", "Contoh"]
    assert [sheet.cell(row=r, column=c).number_format for r in (2, 50, 2000) for c in (2, 3)] == [
        "@"
    ] * 6
    assert sheet.column_dimensions["C"].number_format == "@"
    assert sheet["C1"].comment.text.startswith("Kolom teks")
    # Filled in by a user: three rows typed below the header, the example left alone.
    for offset, row in enumerate(
        [
            ["Ratna", "081370000011", "1808054101900001"],
            ["Yuyun", "081370000012", ""],
            ["Rina", "081370000013", ""],
        ]
    ):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=2 + offset * 5, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(program, buffer.getvalue(), "template-peserta.xlsx")

    assert (report.table.sheet, report.new) == ("Peserta", 3)
    assert [row[:3] for row in people(program)] == [
        ("Ratna", "+6281370000011", "1808054101900001"),
        ("Rina", "+6281370000013", ""),
        ("Yuyun", "+6281370000012", ""),
    ]


def test_the_example_sheet_alone_imports_nobody(program):
    def build(workbook):
        sheet = workbook.active
        sheet.append(["Nama", "No HP"])
        sheet.append(["Contoh: Siti Aminah", "0812 3456 7890"])

    report = run(program, workbook_bytes(build), "a.xlsx", dry_run=True)

    assert (report.new, [(r, str(why)) for r, why in report.skipped]) == (
        0,
        [(2, "baris contoh dari templat")],
    )


def test_command_sheet_map_and_valid_only_leaves_conflicts_out(program, tmp_path):
    from django.core.management import CommandError, call_command

    ParticipantFactory(
        organization=program.organization, full_name="Sumiati", phone="+6281370000014"
    )

    def build(workbook):
        workbook.active.title = "Sampul"
        workbook.active.append(["Nama", "No HP"])
        sheet = workbook.create_sheet("Gelombang 2")
        sheet.append(["Nama", "Kontak Aktif"])
        sheet.append(["Dewi", "081370000014"])
        sheet.append(["Rina", "081370000015"])

    path = tmp_path / "daftar.xlsx"
    path.write_bytes(workbook_bytes(build))
    out = io.StringIO()
    args = [path, "--program", program.slug, "--consent", "paper", "--sheet", "Gelombang 2"]

    with pytest.raises(CommandError, match="--map 'Kontak Aktif=hp'"):
        call_command("import_participants", *args, "--map", "Kontak Aktif=hp")
    call_command(
        "import_participants", *args, "--map", "Kontak Aktif=phone", "--valid-only", stdout=out
    )

    assert [row[:2] for row in people(program)] == [("Rina", "+6281370000015")]
    assert (
        "  row 2: conflict, left out: Nomor telepon sama, nama lain (telepon bersama satu rumah?). "
        "('Dewi' / 'Sumiati'); decide it in the import page"
    ) in out.getvalue().splitlines()


def test_an_import_is_undone_from_the_history(login, coordinator, program):
    from django.urls import reverse

    from participants.models import ParticipantImport

    known = EnrollmentFactory(
        program=program,
        participant__full_name="Sri",
        participant__phone="+6281370000020",
        participant__dusun="Dusun I",
    ).participant
    other = ParticipantFactory(
        organization=program.organization, full_name="Ani", phone="+6281370000021"
    )
    before = {p.pk: (p.full_name, p.dusun) for p in Participant.objects.all()}
    content = (
        b"Nama,No HP,Dusun\nSri,081370000020,Dusun II\nAni,081370000021,\nRina,081370000022,\n"
    )
    run(program, content, "desa.csv")
    record = ParticipantImport.objects.get()
    client = login(coordinator)

    response = client.post(reverse("participant_import_undo", args=[program.slug, record.pk]))

    assert response.url == reverse("participant_import_history", args=[program.slug])
    assert {p.pk: (p.full_name, p.dusun) for p in Participant.objects.all()} == before
    assert list(Enrollment.objects.values_list("participant", flat=True)) == [known.pk]
    assert not Enrollment.objects.filter(participant=other).exists()
    record.refresh_from_db()
    assert record.undone_at is not None
    history = client.get(reverse("participant_import_history", args=[program.slug]))
    assert f'data-undone="{record.pk}"'.encode() in history.content


def test_undo_is_refused_when_a_row_changed_since(login, coordinator, program):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from participants.models import ParticipantImport
    from participants.services import participant_update

    run(program, b"Nama,No HP\nRina,081370000023\nAni,081370000024\n", "desa.csv")
    record = ParticipantImport.objects.get()
    rina = Participant.objects.get(full_name="Rina")
    participant_update(participant=rina, by=None, dusun="Dusun III")
    # An edit made a minute after the import (the undo allows a few seconds of slack).
    Participant.objects.filter(pk=rina.pk).update(
        updated_at=record.imported_at + datetime.timedelta(minutes=1)
    )
    client = login(coordinator)

    response = client.post(reverse("participant_import_undo", args=[program.slug, record.pk]))

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Impor ini tidak dapat dibatalkan: Rina: diubah setelah impor"
    ]
    assert Participant.objects.count() == 2


def test_a_list_whose_name_column_is_not_recognised_opens_the_column_choices(
    login, coordinator, program
):
    from django.urls import reverse

    from participants.models import Participant, PendingImport

    client = login(coordinator)
    content = b"DAFTAR IBU-IBU PKK RT 02\nWarga PKK;Kontak\nSiti Aminah;081370000011\n"

    preview = upload(client, program, content)

    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.needs_name_column, report.new) == (True, 0)
    assert [(c.header, c.field) for c in report.table.columns] == [
        ("Warga PKK", ""),
        ("Kontak", "phone"),
    ]
    assert "Pilih di bawah kolom mana yang berisi nama (“Nama”)" in preview.content.decode()
    assert b'value="import"' not in preview.content
    url = reverse("participant_import_confirm", args=[program.slug, PendingImport.objects.get().pk])
    # A forged "import" before a name column is chosen writes nothing.
    forged = client.post(url, {"action": "import"})
    assert (forged.status_code, Participant.objects.count()) == (302, 0)

    mapped = client.post(url, {"action": "refresh", "map:wargapkk": "full_name"})
    assert (mapped.context["report"].needs_name_column, mapped.context["report"].new) == (False, 1)
    done = client.post(url, {"action": "import"})

    assert done.status_code == 302
    assert list(Participant.objects.values_list("full_name", "phone")) == [
        ("Siti Aminah", "+6281370000011")
    ]


def test_a_semicolon_csv_under_a_title_line_without_separators_is_split_on_semicolons():
    table = read_table(b"DAFTAR PESERTA PELATIHAN\nNama;No HP\nSiti;081370000012\n", "desa.csv")

    assert table.rows == [(3, {"full_name": "Siti", "phone": "081370000012"})]
