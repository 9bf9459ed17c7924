"""Behaviour of the import template download and the import history."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from checklists.models import Track
from participants.models import ParticipantImport
from participants.services import participants_import
from tests.factories import ChecklistTemplateFactory
from tests.pages import text_of


def test_import_template_is_a_spreadsheet_the_import_reads(login, coordinator, program):
    response = login(coordinator).get(reverse("participant_import_template", args=[program.slug]))

    workbook = load_workbook(io.BytesIO(response.content))
    sheet, example = workbook["Peserta"], workbook["Contoh"]
    header = ["Nama", "No HP", "NIK", "Tahun Lahir", "Dusun", "RT", "RW", "Alamat", "Jalur"]
    assert response["Content-Disposition"] == 'attachment; filename="template-peserta.xlsx"'
    assert [c.value for c in sheet[1]] == header
    assert [[c.value for c in row] for row in example.iter_rows()] == [
        header,
        [
            "Contoh: Siti Aminah",
            "0812 3456 7890",
            "1808054101900001",
            1985,
            "Dusun I",
            "001",
            "002",
            None,
            "Daftar sebagai Seller",
        ],
    ]
    # Filled in below the header, its "Jalur" naming the organization's checklist;
    # the example is never imported.
    ChecklistTemplateFactory(organization=program.organization, name="Daftar sebagai Seller")
    for column, value in enumerate(
        [
            "Ratna",
            "0813 7000 0001",
            "1808054101900001",
            1985,
            "",
            "",
            "",
            "",
            "Daftar sebagai Seller",
        ],
        start=1,
    ):
        sheet.cell(row=2, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = participants_import(
        program=program,
        by=coordinator,
        file_name="template-peserta.xlsx",
        content=buffer.getvalue(),
        consent_method="paper",
    )
    assert (report.new, report.invalid) == (1, [])
    assert list(Track.objects.values_list("enrollment__participant__nik", "template__name")) == [
        ("1808054101900001", "Daftar sebagai Seller")
    ]


def test_import_history_lists_each_import_newest_first(login, coordinator, program):
    for name, new in (("desa-lama.csv", 4), ("desa-baru.xlsx", 2)):
        ParticipantImport.objects.create(
            program=program,
            file_name=name,
            imported_by=coordinator,
            consent_method="paper",
            consent_note="Formulir PKK",
            new=new,
            skipped=1,
        )

    response = login(coordinator).get(reverse("participant_import_history", args=[program.slug]))

    assert [(i.file_name, i.new) for i in response.context["imports"]] == [
        ("desa-baru.xlsx", 2),
        ("desa-lama.csv", 4),
    ]
    assert "2 baru, 0 diperbarui, 0 tidak berubah, 1 dilewati" in text_of(response)
