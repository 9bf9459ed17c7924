"""The roll-up: no column dropped, totals and subtotals, numbers in the workbook."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sessions.services import attendance_mark
from tests.factories import (
    EnrollmentFactory,
    IndicatorFactory,
    ProgramFactory,
    TrainingSessionFactory,
)
from tests.reports.test_reports import text_of

LONG = "Peserta yang berhasil membuat akun TikTok Affiliate dan mengunggah KTP nomor {}"


def programs_with(indicators):
    """Three programs in two regencies; in each, the first `present` people attended."""
    organization = ProgramFactory(name="A", district_code="18.08.02").organization
    ProgramFactory(organization=organization, name="B", district_code="18.08.04")
    ProgramFactory(
        organization=organization, name="C", regency_code="18.04", district_code="18.04.08"
    )
    for program, enrolled, present in [("A", 4, 3), ("B", 2, 1), ("C", 5, 0)]:
        program = organization.programs.get(name=program)
        session = TrainingSessionFactory(program=program)
        for i, enrollment in enumerate(EnrollmentFactory.create_batch(enrolled, program=program)):
            status = "present" if i < present else "absent"
            attendance_mark(session=session, enrollment=enrollment, status=status, by=None)
        for n in range(indicators):
            IndicatorFactory(program=program, label=LONG.format(n + 1), position=n)
    return organization


@pytest.mark.parametrize("indicators", [1, 3, 8])
def test_rollup_pdf_keeps_every_indicator_column(login, admin_user, indicators):
    organization = programs_with(indicators)

    response = login(admin_user).get(reverse("organization_rollup_pdf", args=[organization.slug]))

    text = text_of(response.content)
    squeezed = text.replace(" ", "").replace("-", "")
    missing = [
        n + 1 for n in range(indicators) if LONG.format(n + 1).replace(" ", "") not in squeezed
    ]
    assert missing == []
    assert "Total: Semua program" in text


def test_rollup_totals_and_subtotals_add_people_not_percentages(login, admin_user):
    organization = programs_with(1)

    response = login(admin_user).get(reverse("organization_rollup", args=[organization.slug]))

    table = response.context["table"]
    summary = [
        (t.level, t.label, t.programs, t.enrolled, t.cells[0].numerator, t.cells[0].denominator)
        for t in [*table.subtotals, table.total]
    ]
    assert summary == [
        (2, "Sekincau", 1, 5, 0, 5),
        (1, "Kabupaten Lampung Barat", 1, 5, 0, 5),
        (2, "Kasui", 1, 4, 3, 4),
        (2, "Baradatu", 1, 2, 1, 2),
        (1, "Kabupaten Way Kanan", 2, 6, 4, 6),
        (0, "Semua program", 3, 11, 4, 11),
    ]


def test_rollup_xlsx_holds_numbers_that_sum(login, admin_user):
    organization = programs_with(1)

    response = login(admin_user).get(reverse("organization_rollup_xlsx", args=[organization.slug]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][5:] == [
        "Terdaftar",
        "Hadir",
        "Dihitung",
        "Kehadiran %",
        LONG.format(1) + ": berhasil",
        LONG.format(1) + ": dihitung",
        LONG.format(1) + ": %",
    ]
    # Each district's subtotal under its programs, each regency's under its districts.
    assert [r[0:4] + r[5:] for r in rows[1:-1]] == [
        ["C", "Kampung Jaya Tinggi", "Kecamatan Kasui", "Kabupaten Way Kanan", 5, 0, 5, 0, 0, 5, 0],
        ["Subtotal", None, "Sekincau", None, 5, 0, 5, 0, 0, 5, 0],
        ["Subtotal", None, None, "Kabupaten Lampung Barat", 5, 0, 5, 0, 0, 5, 0],
        [
            "A",
            "Kampung Jaya Tinggi",
            "Kecamatan Kasui",
            "Kabupaten Way Kanan",
            4,
            3,
            4,
            75,
            3,
            4,
            75,
        ],
        ["Subtotal", None, "Kasui", None, 4, 3, 4, 75, 3, 4, 75],
        [
            "B",
            "Kampung Jaya Tinggi",
            "Kecamatan Kasui",
            "Kabupaten Way Kanan",
            2,
            1,
            2,
            50,
            1,
            2,
            50,
        ],
        ["Subtotal", None, "Baradatu", None, 2, 1, 2, 50, 1, 2, 50],
        ["Subtotal", None, None, "Kabupaten Way Kanan", 6, 4, 6, 66.7, 4, 6, 66.7],
    ]
    assert rows[-1][:1] + rows[-1][5:] == ["Semua program", 11, 4, 11, 36.4, 4, 11, 36.4]
    assert sum(r[9] for r in rows[1:-1] if r[0] in "ABC") == rows[-1][9]
