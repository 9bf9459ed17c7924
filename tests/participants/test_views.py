import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from checklists.models import Track
from participants.models import Enrollment, Participant
from participants.services import enrollment_date_change
from sessions.services import attendance_mark
from tests.factories import (
    ChecklistTemplateFactory,
    EnrollmentFactory,
    ParticipantFactory,
    TrainingSessionFactory,
)

PARTICIPANT_PAGE_QUERIES = 6


def detail_url(enrollment):
    return reverse("participant_detail", args=[enrollment.program.slug, enrollment.participant_id])


def test_register_participant_through_the_form(login, facilitator, program):
    response = login(facilitator).post(
        reverse("participant_create", args=[program.slug]),
        {
            "full_name": "Siti Aminah",
            "phone": "0812 3456 7890",
            "rt": "001",
            "rw": "002",
            "consent_method": "paper",
        },
    )

    enrollment = Enrollment.objects.get()
    assert response.url == detail_url(enrollment)
    assert (enrollment.participant.phone, enrollment.participant.consent_recorded_by) == (
        "+6281234567890",
        facilitator,
    )


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"full_name": "", "consent_method": "paper"},
            {"full_name": ["Bidang ini tidak boleh kosong."]},
        ),
        (
            {"full_name": "Siti", "phone": "12345", "consent_method": "paper"},
            {"phone": ["12345 bukan nomor telepon yang valid (contoh: 0812 3456 7890)."]},
        ),
        (
            {"full_name": "Siti", "nik": "3.27E+15", "consent_method": "paper"},
            {
                "nik": [
                    "NIK 3.27E+15 dibulatkan oleh spreadsheet (notasi ilmiah); ubah format "
                    "kolom NIK menjadi teks, lalu ketik ulang NIK tersebut."
                ]
            },
        ),
        (
            {"full_name": "Siti"},
            {
                "consent_method": [
                    "Pilih cara ia memberi persetujuan; tanpa itu ia tidak dapat didaftarkan."
                ]
            },
        ),
        (
            {"full_name": "Siti", "consent_method": "paper", "birth_year": "1850"},
            {"birth_year": ["Masukkan tahun lahir antara 1900 dan tahun ini."]},
        ),
        (
            {"full_name": "x" * 201, "consent_method": "paper"},
            {
                "full_name": [
                    "Pastikan nilai ini mengandung paling banyak 200 karakter "
                    "(sekarang 201 karakter)."
                ]
            },
        ),
    ],
)
def test_bad_participant_input_gets_a_clear_indonesian_message(
    login, facilitator, program, data, errors
):
    response = login(facilitator).post(reverse("participant_create", args=[program.slug]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert Participant.objects.count() == 0


def test_duplicate_phone_offers_the_existing_person_to_a_coordinator(login, coordinator, program):
    known = ParticipantFactory(organization=program.organization, phone="+6281234567890")
    client = login(coordinator)

    response = client.post(
        reverse("participant_create", args=[program.slug]),
        {"full_name": "Siti Lain", "phone": "81234567890", "consent_method": "paper"},
    )
    assert response.context["duplicate"] == known
    assert Participant.objects.count() == 1

    enrolled = client.post(reverse("participant_enroll", args=[program.slug, known.pk]))

    enrollment = Enrollment.objects.get()
    assert (enrollment.participant, enrolled.url) == (known, detail_url(enrollment))


def test_a_household_phone_is_saved_for_a_second_person_once_ticked(login, coordinator, program):
    ParticipantFactory(
        organization=program.organization, full_name="Sumiati", phone="+6281234567890"
    )
    client = login(coordinator)
    url = reverse("participant_create", args=[program.slug])
    data = {"full_name": "Dewi", "phone": "0812 3456 7890", "consent_method": "paper"}

    asked = client.post(url, data)
    saved = client.post(url, {**data, "shared_phone": "on"})

    assert asked.status_code == 200
    assert asked.context["form"].errors == {
        "phone": [
            "Sumiati sudah memakai nomor telepon ini. Jika ini orang lain dari rumah yang sama, "
            "centang “Nomor dipakai bersama” lalu simpan lagi."
        ]
    }
    assert b'type="checkbox" name="shared_phone"' in asked.content
    assert saved.status_code == 302
    assert sorted(Participant.objects.values_list("full_name", "phone")) == [
        ("Dewi", "+6281234567890"),
        ("Sumiati", "+6281234567890"),
    ]


def test_participant_of_another_program_is_404(login, facilitator, program):
    foreign = EnrollmentFactory()  # another organization's program
    client = login(facilitator)
    args = [program.slug, foreign.participant_id]

    statuses = [
        client.get(reverse("participant_detail", args=args)).status_code,
        client.get(reverse("participant_edit", args=args)).status_code,
        client.post(reverse("participant_edit", args=args), {"full_name": "X"}).status_code,
        client.post(reverse("participant_enroll", args=args)).status_code,
        client.post(reverse("enrollment_edit", args=args), {"status": "withdrawn"}).status_code,
    ]

    assert statuses == [404, 404, 404, 404, 404]
    foreign.refresh_from_db()
    assert (foreign.participant.full_name != "X", foreign.status) == (True, "active")
    assert Enrollment.objects.filter(program=program).count() == 0


def test_nik_is_masked_for_everyone_but_admins(login, coordinator, admin_user, program):
    enrollment = EnrollmentFactory(program=program, participant__nik="1808054101900001")

    as_coordinator = login(coordinator).get(detail_url(enrollment)).content.decode()
    as_admin = login(admin_user).get(detail_url(enrollment)).content.decode()

    assert ("•••• 0001" in as_coordinator, "1808054101900001" in as_coordinator) == (True, False)
    assert "1808054101900001" in as_admin


def test_non_admin_edit_keeps_a_nik_it_cannot_see(login, facilitator, program):
    enrollment = EnrollmentFactory(program=program, participant__nik="1808054101900001")
    client = login(facilitator)
    url = reverse("participant_edit", args=[program.slug, enrollment.participant_id])

    form_html = client.get(url).content.decode()
    client.post(url, {"full_name": "Nama Baru", "nik": "", "consent_method": "paper"})

    enrollment.participant.refresh_from_db()
    assert "1808054101900001" not in form_html
    assert (enrollment.participant.full_name, enrollment.participant.nik) == (
        "Nama Baru",
        "1808054101900001",
    )


def test_search_matches_phone_as_people_write_it(login, facilitator, program):
    wanted = EnrollmentFactory(program=program, participant__phone="+6281234567890")
    EnrollmentFactory(program=program, participant__phone="+6285700000000")

    response = login(facilitator).get(
        reverse("participant_list", args=[program.slug]), {"q": "0812-3456"}
    )

    assert list(response.context["participants"]) == [wanted]


def test_coordinator_withdraws_an_enrollment(login, coordinator, enrollment):
    response = login(coordinator).post(
        reverse("enrollment_edit", args=[enrollment.program.slug, enrollment.participant_id]),
        {"status": "withdrawn"},
    )

    enrollment.refresh_from_db()
    assert (response.url, enrollment.status) == (detail_url(enrollment), "withdrawn")


def test_unknown_status_is_refused(login, coordinator, enrollment):
    login(coordinator).post(
        reverse("enrollment_edit", args=[enrollment.program.slug, enrollment.participant_id]),
        {"status": "deleted"},
    )

    enrollment.refresh_from_db()
    assert enrollment.status == "active"


def test_participant_page_lists_attendance_per_session(login, facilitator, enrollment):
    program = enrollment.program
    before = TrainingSessionFactory(program=program, title="Sebelum", date=dt.date(2023, 7, 1))
    marked = TrainingSessionFactory(program=program, title="Ditandai", date=dt.date(2023, 8, 1))
    TrainingSessionFactory(program=program, title="Belum", date=dt.date(2023, 8, 2))
    attendance_mark(session=marked, enrollment=enrollment, status="late", by=facilitator)

    response = login(facilitator).get(detail_url(enrollment))

    rows = [(s.title, s.eligible, s.status_label) for s in response.context["sessions"]]
    assert rows == [
        ("Sebelum", False, None),
        ("Ditandai", True, "Terlambat"),
        ("Belum", True, None),
    ]
    assert before.date < enrollment.enrolled_on


def test_checklists_are_chosen_at_enrollment(login, facilitator, program):
    seller = ChecklistTemplateFactory(organization=program.organization, name="Seller")
    ChecklistTemplateFactory(organization=program.organization, name="Kreator")

    login(facilitator).post(
        reverse("participant_create", args=[program.slug]),
        {"full_name": "Siti", "consent_method": "paper", "tracks": [seller.pk]},
    )

    assert list(
        Track.objects.values_list("enrollment__participant__full_name", "template__name")
    ) == [("Siti", "Seller")]


def test_participant_export_masks_nik_for_non_admins_and_neutralises_formulas(
    login, coordinator, admin_user, program
):
    EnrollmentFactory(
        program=program,
        participant__full_name="=1+1",
        participant__nik="1808054101900001",
        participant__phone="+6281234567890",
    )
    url = reverse("participant_export", args=[program.slug, "csv"])

    def rows(user):
        content = login(user).get(url).content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(content)))

    coordinator_rows, admin_rows = rows(coordinator), rows(admin_user)

    assert coordinator_rows[0][:3] == ["Nama", "Nomor telepon", "NIK"]
    assert coordinator_rows[1][:3] == ["'=1+1", "0812-3456-7890", "•••• 0001"]
    assert admin_rows[1][2] == "1808054101900001"


# --- consent as an explicit choice, the enrolment date and its history ------


def test_consent_starts_unchosen_on_the_participant_form(login, facilitator, program):
    html = login(facilitator).get(reverse("participant_create", args=[program.slug]))

    form = html.context["form"]
    assert (form["consent_method"].value(), form.fields["consent_method"].required) == (None, True)
    assert '<option value="" selected>— pilih —</option>' in html.content.decode()


def test_coordinator_moves_the_enrolment_date_and_the_change_is_logged(
    login, coordinator, facilitator, enrollment
):
    url = reverse("enrollment_edit", args=[enrollment.program.slug, enrollment.participant_id])

    response = login(coordinator).post(url, {"status": "active", "enrolled_on": "2023-07-01"})
    as_coordinator = login(coordinator).get(detail_url(enrollment)).content.decode()
    as_facilitator = login(facilitator).get(detail_url(enrollment)).content.decode()

    enrollment.refresh_from_db()
    change = enrollment.date_changes.get()
    assert (response.url, enrollment.enrolled_on) == (detail_url(enrollment), dt.date(2023, 7, 1))
    assert (change.old_date, change.new_date, change.by) == (
        dt.date(2023, 7, 24),
        dt.date(2023, 7, 1),
        coordinator,
    )
    assert "24 Juli 2023 → 1 Juli 2023" in as_coordinator
    assert "Perubahan tanggal pendaftaran" not in as_facilitator


@pytest.mark.parametrize(
    "value, message",
    [
        ("2999-01-01", "Tanggal pendaftaran tidak boleh di masa depan."),
        ("31/02/2023", "Masukkan tanggal yang valid."),
    ],
)
def test_bad_enrolment_date_is_refused_with_a_message(
    login, coordinator, enrollment, value, message
):
    url = reverse("enrollment_edit", args=[enrollment.program.slug, enrollment.participant_id])

    response = login(coordinator).post(url, {"status": "active", "enrolled_on": value}, follow=True)

    enrollment.refresh_from_db()
    assert [str(m) for m in response.context["messages"]] == [message]
    assert (enrollment.enrolled_on, enrollment.date_changes.count()) == (dt.date(2023, 7, 24), 0)


def test_facilitator_cannot_move_the_enrolment_date(login, facilitator, enrollment):
    url = reverse("enrollment_edit", args=[enrollment.program.slug, enrollment.participant_id])

    response = login(facilitator).post(url, {"status": "active", "enrolled_on": "2023-07-01"})

    enrollment.refresh_from_db()
    assert (response.status_code, enrollment.enrolled_on) == (403, dt.date(2023, 7, 24))


@pytest.mark.parametrize("changes", [1, 3])
def test_participant_page_with_its_date_history_is_a_fixed_number_of_queries(
    login, coordinator, enrollment, changes, django_assert_num_queries
):
    for day in range(changes):
        enrollment_date_change(
            enrollment=enrollment, enrolled_on=dt.date(2023, 7, 1 + day), by=coordinator
        )
    client = login(coordinator)

    with django_assert_num_queries(PARTICIPANT_PAGE_QUERIES):
        response = client.get(detail_url(enrollment))

    assert len(response.context["date_changes"]) == changes
