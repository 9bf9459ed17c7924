"""One behaviour test for each report view that had only the permission matrix."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from reports.models import Indicator
from sessions.services import attendance_mark
from tests.factories import (
    EnrollmentFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganizationMembershipFactory,
    ProgramFactory,
    TrainingSessionFactory,
)
from tests.pages import messages_of, pdf_text, text_of

ATTENDED = {
    "label": "Hadir pelatihan",
    "success_phrase": "peserta hadir",
    "failure_phrase": "belum hadir",
    "source": "attended_min",
    "min_sessions": 1,
    "population": "enrolled",
    "reason_source": "none",
}


def half_attended(program):
    """Two enrolled, one attended the training."""
    session = TrainingSessionFactory(program=program)
    ani, _budi = EnrollmentFactory.create_batch(2, program=program)
    attendance_mark(session=session, enrollment=ani, status="present", by=None)


def test_program_report_states_each_indicator(login, facilitator, program):
    half_attended(program)
    IndicatorFactory(program=program, label="Hadir", success_phrase="hadir", failure_phrase="belum")

    response = login(facilitator).get(reverse("program_report", args=[program.slug]))

    sentence = "50% (1 dari 2) hadir; 50% (1 dari 2) belum. (Berdasarkan sedikit peserta: n = 2.)"
    assert [r.sentence for r in response.context["indicators"]] == [sentence]
    assert sentence in text_of(response)
    assert (response.context["enrolled"], response.context["annex"]) == (2, None)


def test_coordinator_adds_edits_and_deletes_an_indicator(login, coordinator, program):
    half_attended(program)
    client = login(coordinator)
    url = reverse("indicator_list", args=[program.slug])

    added = client.post(url, ATTENDED)
    indicator = Indicator.objects.get()
    edited = client.post(
        reverse("indicator_edit", args=[program.slug, indicator.pk]),
        {**ATTENDED, "label": "Hadir minimal sekali"},
    )
    page = client.get(url)
    deleted = client.post(reverse("indicator_delete", args=[program.slug, indicator.pk]))

    assert [added.url, edited.url, deleted.url] == [url] * 3
    assert [(i.label, i.source, i.min_sessions) for i in page.context["indicators"]] == [
        ("Hadir minimal sekali", "attended_min", 1)
    ]
    assert Indicator.objects.count() == 0


def test_coordinator_copies_the_indicators_of_another_program(login, coordinator, program):
    source = MembershipFactory(user=coordinator, role="coordinator").program
    IndicatorFactory(program=source, label="Hadir")
    IndicatorFactory(program=source, label="Hadir lagi", min_sessions=2)
    client = login(coordinator)
    url = reverse("indicators_copy", args=[program.slug])

    copied = client.post(url, {"source": source.pk})
    junk = client.post(url, {"source": "x"})

    assert (copied.url, junk.url) == (reverse("indicator_list", args=[program.slug]),) * 2
    assert list(program.indicators.order_by("position").values_list("label", "min_sessions")) == [
        ("Hadir", 1),
        ("Hadir lagi", 2),
    ]
    assert messages_of(junk) == ["2 indikator disalin.", "Pilih program sumber salinan."]


def rollup_world():
    organization = ProgramFactory(name="Jaya Tinggi", regency="Way Kanan").organization
    other = ProgramFactory(
        organization=organization,
        name="Sukajaya",
        regency="Lampung Barat",
        regency_code="18.04",
        district_code="18.04.08",
        start_date=dt.date(2024, 1, 10),
        end_date=None,
    )
    for program in organization.programs.all():
        IndicatorFactory(program=program, label="Hadir")
    half_attended(organization.programs.get(name="Jaya Tinggi"))
    EnrollmentFactory(program=other)
    return organization, OrganizationMembershipFactory(organization=organization).user


def test_rollup_page_filters_and_shrugs_off_junk(client, db):
    organization, user = rollup_world()
    client.force_login(user)
    url = reverse("organization_rollup", args=[organization.slug])

    way_kanan = client.get(url, {"regency": "18.08"})
    junk = client.get(url, {"year": "20x4", "template": "'; drop", "sort": "x' OR 1=1" * 5})

    assert [(r.program.name, r.enrolled) for r in way_kanan.context["table"].rows] == [
        ("Jaya Tinggi", 2)
    ]
    assert [r.program.name for r in junk.context["table"].rows] == ["Jaya Tinggi", "Sukajaya"]


def test_rollup_xlsx_holds_one_row_per_program(client, db):
    organization, user = rollup_world()
    client.force_login(user)

    response = client.get(reverse("organization_rollup_xlsx", args=[organization.slug]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert response["Content-Disposition"] == (
        f'attachment; filename="rekap-{organization.slug}.xlsx"'
    )
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    # Numbers, not text, so the sheet can sum; subtotals under each group, then the total.
    assert rows[0][5:] == [
        "Terdaftar",
        "Hadir",
        "Dihitung",
        "Kehadiran %",
        "Hadir: berhasil",
        "Hadir: dihitung",
        "Hadir: %",
    ]
    assert [r[:1] + r[5:] for r in rows[1:-1] if r[0] != "Subtotal"] == [
        ["Sukajaya", 1, 0, 0, None, 0, 1, 0],  # Lampung Barat, 18.04
        ["Jaya Tinggi", 2, 1, 2, 50, 1, 2, 50],  # Way Kanan, 18.08
    ]
    assert rows[-1][:1] + rows[-1][5:] == ["Semua program", 3, 1, 2, 50, 1, 3, 33.3]


def test_rollup_pdf_names_every_program(client, db):
    organization, user = rollup_world()
    client.force_login(user)

    response = client.get(reverse("organization_rollup_pdf", args=[organization.slug]))

    text = pdf_text(response.content)
    assert response["Content-Type"] == "application/pdf"
    assert [n for n in ("Jaya Tinggi", "Sukajaya", organization.name) if n not in text] == []
