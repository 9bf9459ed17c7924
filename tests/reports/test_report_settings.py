"""The signed laporan: letterhead, method, conclusions, signatures."""

import datetime as dt

from django.urls import reverse

from reports import services
from reports.models import ReportSettings, Signatory
from tests.factories import ProgramFactory
from tests.reports.test_as_of import BASES, docx_text
from tests.reports.test_reports import SEED_TABLE_1, text_of


def sign(program):
    services.report_settings_save(
        program=program,
        letterhead_name="Universitas Islam Negeri Raden Intan Lampung",
        letterhead_lines=(
            "Lembaga Penelitian dan Pengabdian kepada Masyarakat\n"
            "Jl. Letkol H. Endro Suratmin, Bandar Lampung"
        ),
        place="Jaya Tinggi",
        report_date=None,
        conclusions="Pelatihan meningkatkan kemampuan peserta.",
        recommendations="Pendampingan unggah KTP dilanjutkan.",
    )
    services.signatory_add(
        program=program,
        heading="mengetahui",
        role="Kepala Kampung Jaya Tinggi",
        name="Sutrisno",
    )
    services.signatory_add(
        program=program,
        heading="menyetujui",
        role="Dosen Pembimbing Lapangan",
        name="Dr. Siti Aminah",
        nip="19800101 200501 2 003",
    )


def test_report_pdf_holds_letterhead_method_signatures_base_and_every_indicator(login, demo):
    sign(demo)
    coordinator = demo.memberships.get(role="coordinator").user
    services.report_settings_save(program=demo, report_date=dt.date(2023, 8, 15))

    pdf = login(coordinator).get(
        reverse("program_report_pdf", args=[demo.slug]), {"as_of": "2023-08-12"}
    )

    text = text_of(pdf.content)
    expected = [
        "UNIVERSITAS ISLAM NEGERI RADEN INTAN LAMPUNG",
        "Jl. Letkol H. Endro Suratmin, Bandar Lampung",
        "Metode",
        "Kegiatan dilaksanakan dalam tahap berikut: survei (25 Juli 2023) → sosialisasi "
        "(29 Juli 2023, 1 Agustus 2023) → pelatihan (5 Agustus 2023)",
        "Data per 12 Agustus 2023",
        "Kesimpulan Pelatihan meningkatkan kemampuan peserta.",
        "Rekomendasi Pendampingan unggah KTP dilanjutkan.",
        "Jaya Tinggi, 15 Agustus 2023",
        "Mengetahui, Kepala Kampung Jaya Tinggi",
        "Sutrisno",
        "Menyetujui, Dosen Pembimbing Lapangan",
        "Dr. Siti Aminah NIP 198001012005012003",
        *SEED_TABLE_1,
        *BASES,
    ]
    assert [e for e in expected if " ".join(e.split()) not in text] == []


def test_settings_page_saves_and_a_bad_nip_is_refused(login, program, coordinator):
    client = login(coordinator)

    saved = client.post(
        reverse("report_settings", args=[program.slug]),
        {
            "letterhead_name": "TP PKK Kampung Jaya Tinggi",
            "place": "Jaya Tinggi",
            "report_date": "2023-08-15",
        },
    )
    refused = client.post(
        reverse("signatory_add", args=[program.slug]),
        {"heading": "", "role": "Kepala Kampung", "name": "Sutrisno", "nip": "12345"},
    )
    added = client.post(
        reverse("signatory_add", args=[program.slug]),
        {"heading": "mengetahui", "role": "Ketua TP PKK", "name": "Ibu Rina", "nip": ""},
    )

    assert saved.status_code == 302
    assert ReportSettings.objects.values_list("letterhead_name", "place").get(program=program) == (
        "TP PKK Kampung Jaya Tinggi",
        "Jaya Tinggi",
    )
    assert refused.status_code == 200
    assert refused.context["signatory_form"].errors == {"nip": ["NIP terdiri dari 18 angka."]}
    assert added.status_code == 302
    assert list(Signatory.objects.values_list("role", "name", "position")) == [
        ("Ketua TP PKK", "Ibu Rina", 1)
    ]


def test_signatory_of_another_program_is_not_found(login, program, coordinator):
    other = Signatory.objects.create(program=ProgramFactory(), role="DPL", name="X")

    response = login(coordinator).post(reverse("signatory_delete", args=[program.slug, other.pk]))

    assert response.status_code == 404
    assert Signatory.objects.filter(pk=other.pk).exists()


def test_docx_carries_the_letterhead_and_signatures(login, demo):
    sign(demo)
    coordinator = demo.memberships.get(role="coordinator").user

    response = login(coordinator).get(reverse("program_report_docx", args=[demo.slug]))

    paragraphs, cells = docx_text(response.content)
    assert paragraphs[:2] == [
        "Universitas Islam Negeri Raden Intan Lampung",
        "Lembaga Penelitian dan Pengabdian kepada Masyarakat",
    ]
    assert "Pelatihan meningkatkan kemampuan peserta." in paragraphs
    assert [
        "Mengetahui,\nKepala Kampung Jaya Tinggi\n\n\n\nSutrisno",
        "Menyetujui,\nDosen Pembimbing Lapangan\n\n\n\nDr. Siti Aminah\nNIP 198001012005012003",
    ] in cells


def test_likert_question_shows_its_labels_mean_and_distribution(login, demo):
    coordinator = demo.memberships.get(role="coordinator").user

    pdf = login(coordinator).get(reverse("program_report_pdf", args=[demo.slug]))
    docx = login(coordinator).get(reverse("program_report_docx", args=[demo.slug]))

    text = text_of(pdf.content)
    paragraphs, cells = docx_text(docx.content)
    likert = (
        "4. Seberapa bermanfaat pelatihan ini bagi Ibu? 20 dari 20 menjawab · "
        "1 = tidak bermanfaat, 5 = sangat bermanfaat "
        "Rata-rata 4,7 pada skala 1 sampai 5 (n = 20)."
    )
    assert likert in text
    assert "4 6 dari 20, 30% 5 14 dari 20, 70%" in text
    assert "Rata-rata 4,7 pada skala 1 sampai 5 (n = 20)." in paragraphs
    assert [c for c in cells if c[0] in ("4", "5")] == [["4", "6", "30%"], ["5", "14", "70%"]]
