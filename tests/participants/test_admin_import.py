"""The Django admin's import: its preview and confirm steps run the same import
service as the program's import page, and show what it does row by row."""

import io
import zipfile

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from participants.models import Enrollment, ImportColumnMapping, Participant, ParticipantImport
from participants.resources import ParticipantResource
from participants.services import participants_import_undo
from programs.models import AuditEvent
from tests.factories import (
    EnrollmentFactory,
    OrganizationMembershipFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
)
from tests.participants.test_import import ods
from tests.participants.test_import_files import crafted_xlsx

IMPORT = reverse("admin:participants_participant_import")
CONFIRM = reverse("admin:participants_participant_process_import")

# Saved from Indonesian Excel: ";" between cells, Windows-1252, titles above the header.
TITLES = (
    "DAFTAR PESERTA PELATIHAN TIKTOK AFFILIATE;;;;;\r\n"
    "DESA JAYA TINGGI, KEC. KOTA;;;;;\r\n"
    ";;;;;\r\n"
    "No;Nama Lengkap (sesuai KTP);No. HP/WA;NIK;Dusun;RT/RW\r\n"
)


def messy_file(*rows):
    return (TITLES + "".join(row + "\r\n" for row in rows)).encode("cp1252")


SITI = "1;Siti Aminah;0812 3456 7890;;Dusun I;1/2"  # row 5: new
DEWI = "2;IBU DEWI;0813-7000-0001;;Dusun II;3/1"  # row 6: the household phone's Dewi
JOSE = "3;José Ma’rifah;081234567892;;Dusun I;1/2"  # row 7: new
TOTALS = ";JUMLAH 3 orang;;;;"  # not a person: skipped


@pytest.fixture
def household(program):
    """Sumiati and Dewi share one phone; Dewi is not yet in the program."""
    sumiati = EnrollmentFactory(
        program=program,
        participant__full_name="Sumiati",
        participant__phone="+6281370000001",
        participant__dusun="Dusun II",
    ).participant
    dewi = ParticipantFactory(
        organization=program.organization,
        full_name="Dewi",
        phone="+6281370000001",
        dusun="",
        rt="",
        rw="",
    )
    return sumiati, dewi


def preview(client, program, content, name="desa.csv", file_format="0", **data):
    return client.post(
        IMPORT,
        {
            "import_file": SimpleUploadedFile(name, content),
            "format": file_format,
            "program": program.pk,
            "consent_method": "paper",
            **data,
        },
    )


def confirm(client, page):
    return client.post(CONFIRM, page.context["confirm_form"].initial)


def invalid(result):
    return [(row.number, row.error_dict) for row in result.invalid_rows]


def valid(result):
    return [(row.import_type, row.diff[0], row.diff[-1]) for row in result.valid_rows()]


def logged():
    return list(AuditEvent.objects.values_list("user", "action", "detail", "people"))


def conflict_message(program):
    return (
        "Nomor telepon sama, nama lain (telepon bersama satu rumah?). Sumiati sudah terdaftar: "
        "apakah ini orang yang sama diputuskan di halaman impor program, "
        f"/programs/{program.slug}/participants/import/"
    )


def test_a_messy_file_with_a_conflict_and_an_invalid_phone_is_refused_whole(
    login, admin_user, program, household
):
    sumiati, dewi = household
    content = messy_file(
        SITI,
        DEWI,
        "4;Rina Marlina;0813 7000 0001;;Dusun II;3/1",  # row 7: the household phone, another name
        "5;Ani Sumarni;0812 3456 7891 (suami);;Dusun I;2/2",  # row 8: a remark in the phone
        JOSE,
        TOTALS,
    )

    page = preview(login(admin_user), program, content)

    result = page.context["result"]
    assert invalid(result) == [
        (7, {"Nama": [conflict_message(program)]}),
        (
            8,
            {
                "Nomor telepon": [
                    "0812 3456 7891 (suami) bukan satu nomor telepon: tulis nomornya saja, "
                    "dan keterangan di kolom lain."
                ]
            },
        ),
    ]
    assert valid(result) == [
        ("new", "Siti Aminah", ""),
        ("update", "IBU DEWI", "Dusun: – → Dusun II; RT: – → 003; RW: – → 001"),
        ("new", "José Ma’rifah", ""),
        ("skip", "", "dilewati: baris jumlah"),
    ]
    assert "confirm_form" not in page.context
    assert conflict_message(program).encode() in page.content
    assert Participant.objects.count() == 2
    assert (ParticipantImport.objects.count(), logged()) == (0, [])


def test_a_clean_file_is_previewed_then_written_with_its_history_and_audit(
    login, admin_user, program, household
):
    sumiati, dewi = household
    content = messy_file(SITI, DEWI, JOSE, "4;SITI AMINAH;081234567890;;;", TOTALS)
    client = login(admin_user)

    page = preview(client, program, content, consent_note="Formulir di kantor desa")

    assert invalid(page.context["result"]) == []
    assert valid(page.context["result"]) == [
        ("new", "Siti Aminah", ""),
        ("update", "IBU DEWI", "Dusun: – → Dusun II; RT: – → 003; RW: – → 001"),
        ("new", "José Ma’rifah", ""),
        ("skip", "SITI AMINAH", "berulang dalam berkas"),
        ("skip", "", "dilewati: baris jumlah"),
    ]
    assert Participant.objects.count() == 2  # a preview writes nothing

    done = confirm(client, page)

    assert done.status_code == 302
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        f"“desa.csv” diimpor ke “{program.name}”: 2 baru, 1 diperbarui, 2 tidak berubah, "
        "berulang, atau dilewati. Impor ini bisa dibatalkan dari riwayat impor program, "
        f"/programs/{program.slug}/participants/import/history/"
    ]
    enrolled = Enrollment.objects.filter(program=program).order_by("participant__full_name")
    assert [
        (e.participant.full_name, e.participant.phone, e.participant.dusun, e.participant.rt)
        for e in enrolled
    ] == [
        ("Dewi", "+6281370000001", "Dusun II", "003"),
        ("José Ma’rifah", "+6281234567892", "Dusun I", "001"),
        ("Siti Aminah", "+6281234567890", "Dusun I", "001"),
        ("Sumiati", "+6281370000001", "Dusun II", "001"),
    ]
    record = ParticipantImport.objects.get()
    assert (
        record.program,
        record.file_name,
        record.imported_by,
        record.consent_method,
        record.consent_note,
        (record.new, record.updated, record.unchanged, record.duplicates, record.skipped),
        len(record.undo["created"]),
        record.undo["changed"][str(dewi.pk)][0],
    ) == (
        program,
        "desa.csv",
        admin_user,
        "paper",
        "Formulir di kantor desa",
        (2, 1, 0, 1, 0),
        2,
        ["dusun", "", "Dusun II"],
    )
    assert logged() == [(admin_user.pk, "import", "desa.csv", 3)]

    participants_import_undo(record=record, by=admin_user)  # undone as from the history page

    assert sorted(Participant.objects.values_list("full_name", "dusun")) == [
        ("Dewi", ""),
        ("Sumiati", "Dusun II"),
    ]


def test_a_conflict_arising_after_the_preview_writes_nothing(login, admin_user, program):
    client = login(admin_user)
    page = preview(client, program, messy_file(SITI, JOSE))
    ParticipantFactory(
        organization=program.organization, full_name="Sumiati", phone="+6281234567892"
    )

    done = confirm(client, page)

    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        "Tidak ada yang diimpor: berkas ini sekarang berisi baris tidak valid atau konflik. "
        "Impor ulang untuk melihatnya."
    ]
    assert list(Participant.objects.values_list("full_name", flat=True)) == ["Sumiati"]
    assert (ParticipantImport.objects.count(), logged()) == (0, [])


def test_the_columns_remembered_for_the_organization_are_read_as_on_the_import_page(
    login, admin_user, program
):
    ImportColumnMapping.objects.create(
        organization=program.organization, header="kontakaktif", field="phone"
    )
    client = login(admin_user)

    page = preview(client, program, b"Nama,Kontak Aktif\nRina,081370000015\n")
    confirm(client, page)

    assert list(Participant.objects.values_list("full_name", "phone")) == [
        ("Rina", "+6281370000015")
    ]


def test_a_file_without_a_name_column_for_this_organization_is_refused_with_a_message(
    login, admin_user, program
):
    ImportColumnMapping.objects.create(organization=program.organization, header="nama", field="-")

    page = preview(login(admin_user), program, b"Nama,No HP\nRina,081370000015\n")

    result = page.context["result"]
    assert [str(error.error) for error in result.base_errors] == [
        "Kolom nama tidak ditemukan. Beri judul “Nama” (atau “Nama Lengkap”, “Name”)."
    ]
    assert "confirm_form" not in page.context
    assert Participant.objects.count() == 0


def test_an_ods_file_with_a_title_row_is_read(login, admin_user, program):
    client = login(admin_user)
    content = ods([["DAFTAR PESERTA"], ["Nama", "No HP"], ["Rina", "081370000017"]])

    confirm(client, preview(client, program, content, "b.ods", "2"))

    assert list(Participant.objects.values_list("full_name", "phone")) == [
        ("Rina", "+6281370000017")
    ]


def test_a_broken_file_and_a_zip_bomb_get_a_message_not_a_traceback(login, admin_user, program):
    client = login(admin_user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))

    broken = preview(client, program, b"not a zip", "rusak.xlsx", "1")
    bomb = preview(client, program, buffer.getvalue(), "bom.xlsx", "1")
    crafted = preview(client, program, crafted_xlsx(), "bom.xlsx", "1")

    assert broken.context["form"].errors == {
        "import_file": ["Berkas spreadsheet ini tidak bisa dibaca."]
    }
    assert bomb.context["form"].errors == {
        "import_file": [
            "Spreadsheet ini membengkak ke ukuran yang tidak wajar saat dibuka; "
            "berkas tidak dibuka."
        ]
    }
    assert (
        crafted.context["form"]
        .errors["import_file"][0]
        .startswith("Lembar ini lebih besar dari yang dapat diimpor")
    )
    assert b"Traceback" not in broken.content + bomb.content + crafted.content


# The confirmation writes people and enrolments with two INSERTs on SQLite;
# PostgreSQL's COPY is not a query Django counts (as in test_import.py).
PREVIEW_QUERIES, CONFIRM_QUERIES = 10, 13 if connection.vendor == "sqlite" else 11

NOT_A_CHOICE = (
    "Masukkan pilihan yang valid. Pilihan tersebut bukan salah satu dari pilihan yang tersedia."
)


@pytest.fixture
def staff_coordinator(program):
    """A staff account that coordinates `program`'s organization but is no app admin."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="participants", codename__endswith="_participant"
        )
    )
    OrganizationMembershipFactory(organization=program.organization, user=user)
    return user


def test_another_organizations_program_is_not_offered(login, staff_coordinator, program):
    other = ProgramFactory()
    client = login(staff_coordinator)

    form = client.get(IMPORT).context["form"]
    refused = preview(client, other, messy_file(SITI))

    assert list(form.fields["program"].queryset) == [program]
    assert refused.context["form"].errors == {"program": [NOT_A_CHOICE]}
    assert Participant.objects.count() == 0


def test_a_confirmation_for_another_organizations_program_is_refused(
    login, staff_coordinator, program
):
    other = ProgramFactory()
    client = login(staff_coordinator)
    page = preview(client, program, messy_file(SITI))

    refused = client.post(CONFIRM, {**page.context["confirm_form"].initial, "program": other.pk})

    assert refused.status_code == 200
    assert refused.context["confirm_form"].errors == {"program": [NOT_A_CHOICE]}
    assert Participant.objects.count() == 0


def test_the_resource_reads_a_plain_dataset_through_the_service(admin_user, program):
    dataset = tablib.Dataset(["Rina", "081370000015"], headers=["Nama", "No HP"])
    resource = ParticipantResource(program=program, consent_method="spoken")

    result = resource.import_data(dataset, user=admin_user, file_name="api.csv")

    assert result.totals["new"] == 1
    assert list(Participant.objects.values_list("full_name", "phone", "consent_method")) == [
        ("Rina", "+6281370000015", "spoken")
    ]
    assert ParticipantImport.objects.get().file_name == "api.csv"


def test_the_resource_without_a_program_says_so(admin_user):
    dataset = tablib.Dataset(["Rina", "081370000015"], headers=["Nama", "No HP"])

    result = ParticipantResource().import_data(dataset, user=admin_user)

    assert [str(error.error) for error in result.base_errors] == ["Pilih program tujuan impor."]
    assert Participant.objects.count() == 0


@pytest.mark.parametrize("size", [1, 3])
def test_the_preview_and_the_confirmation_read_as_many_queries_for_one_row_as_for_three(
    login, admin_user, program, size, django_assert_num_queries
):
    client = login(admin_user)
    rows = [f"{i};Peserta {i};08137000009{i};;Dusun I;1/2" for i in range(size)]
    client.get(IMPORT)  # the session and the user, read before the import

    with django_assert_num_queries(PREVIEW_QUERIES):
        page = preview(client, program, messy_file(*rows))
    with django_assert_num_queries(CONFIRM_QUERIES):
        confirm(client, page)

    assert Participant.objects.count() == size
