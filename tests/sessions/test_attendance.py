import csv
import datetime as dt
import io
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from participants.models import Enrollment, Participant
from participants.services import DuplicateParticipant
from pkk_training.pdf import PDF_BASE_URL, static_file_for
from sessions import selectors, services
from sessions.models import Attendance, AttendanceEvent
from tests.factories import (
    ChecklistTemplateFactory,
    EnrollmentFactory,
    MembershipFactory,
    ParticipantFactory,
    TrainingSessionFactory,
)

SESSION_PAGE_QUERIES = 7  # … and the taps that disagreed
MARK_ALL_QUERIES = 12


@pytest.fixture
def session(program):
    return TrainingSessionFactory(program=program, date=dt.date(2023, 8, 5))


def mark_url(session):
    return reverse("attendance_mark", args=[session.program.slug, session.pk])


def state(session):
    return sorted(
        Attendance.objects.filter(session=session).values_list("participant__full_name", "status")
    )


# --- services --------------------------------------------------------------


def test_mark_creates_one_row_and_an_audit_event(session, enrollment, facilitator):
    attendance, changed = services.attendance_mark(
        session=session, enrollment=enrollment, status="late", by=facilitator
    )

    assert (changed, attendance.status, attendance.marked_by) == (True, "late", facilitator)
    assert list(AttendanceEvent.objects.values_list("status", "by")) == [("late", facilitator.pk)]


def test_a_resent_mark_is_recognised_and_changes_nothing(session, enrollment, facilitator):
    mark_id = uuid.uuid4()
    services.attendance_mark(
        session=session, enrollment=enrollment, status="present", by=facilitator, mark_id=mark_id
    )
    services.attendance_mark(
        session=session, enrollment=enrollment, status="absent", by=facilitator
    )

    # The phone resends the first tap after a timeout: it must not undo the second.
    attendance, changed = services.attendance_mark(
        session=session, enrollment=enrollment, status="present", by=facilitator, mark_id=mark_id
    )

    assert (changed, attendance.status) == (False, "absent")
    assert Attendance.objects.get().status == "absent"
    assert AttendanceEvent.objects.count() == 2


def test_changes_are_kept_in_the_history(session, enrollment, facilitator, coordinator):
    services.attendance_mark(
        session=session, enrollment=enrollment, status="absent", by=facilitator
    )
    services.attendance_mark(session=session, enrollment=enrollment, status="late", by=coordinator)
    services.attendance_mark(session=session, enrollment=enrollment, status="", by=coordinator)

    history = [(e.status, e.by) for e in selectors.attendance_history(session)]
    assert history == [("", coordinator), ("late", coordinator), ("absent", facilitator)]
    assert Attendance.objects.count() == 0


def test_late_joiner_cannot_be_marked_for_an_earlier_session(session, program, facilitator):
    late = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 8, 6))

    with pytest.raises(ValidationError) as caught:
        services.attendance_mark(session=session, enrollment=late, status="present", by=facilitator)

    assert caught.value.code == "not_yet_enrolled"
    assert (Attendance.objects.count(), AttendanceEvent.objects.count()) == (0, 0)


def test_late_joiner_marked_after_confirming_moves_her_enrolment_and_logs_it(
    session, program, facilitator
):
    late = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 8, 20))

    attendance, changed = services.attendance_mark(
        session=session, enrollment=late, status="present", by=facilitator, move_enrollment=True
    )

    late.refresh_from_db()
    change = late.date_changes.get()
    assert (changed, attendance.status, late.enrolled_on) == (True, "present", session.date)
    assert (change.old_date, change.new_date, change.by) == (
        dt.date(2023, 8, 20),
        session.date,
        facilitator,
    )
    assert selectors.roll_call(session).eligible == 1


def test_a_late_joiners_mark_under_a_used_id_moves_nothing(session, program, facilitator):
    """The whole mark is undone, her date move with it, when its id was used before."""
    used = services.attendance_mark(
        session=session,
        enrollment=EnrollmentFactory(program=program),
        status="present",
        by=facilitator,
    )[0].mark_id
    late = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 8, 20))

    with pytest.raises(services.MarkNotApplied) as caught:
        services.attendance_mark(
            session=session,
            enrollment=late,
            status="present",
            by=facilitator,
            mark_id=used,
            move_enrollment=True,
        )

    late.refresh_from_db()
    assert caught.value.code == "mark_id_reused"
    assert (late.enrolled_on, late.date_changes.count()) == (dt.date(2023, 8, 20), 0)
    assert (Attendance.objects.count(), AttendanceEvent.objects.count()) == (1, 1)


def test_clearing_a_late_joiner_never_moves_her_enrolment(session, program, facilitator):
    late = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 8, 20))

    with pytest.raises(ValidationError):
        services.attendance_mark(
            session=session, enrollment=late, status="", by=facilitator, move_enrollment=True
        )

    late.refresh_from_db()
    assert (late.enrolled_on, late.date_changes.count()) == (dt.date(2023, 8, 20), 0)


def test_mark_all_undo_clears_only_its_own_marks(session, program, facilitator, coordinator):
    first = EnrollmentFactory(program=program, participant__full_name="A")
    changed_later = EnrollmentFactory(program=program, participant__full_name="B")
    before = EnrollmentFactory(program=program, participant__full_name="C")
    services.attendance_mark(session=session, enrollment=before, status="late", by=facilitator)
    result = services.attendance_mark_all_present(session=session, by=facilitator)
    # Someone confirms B as present after the batch: her mark is no longer the batch's.
    services.attendance_mark(
        session=session, enrollment=changed_later, status="present", by=coordinator
    )

    cleared = services.attendance_mark_all_undo(
        session=session, batch_id=result.batch_id, by=facilitator
    )
    again = services.attendance_mark_all_undo(
        session=session, batch_id=result.batch_id, by=facilitator
    )

    assert (result.marked, cleared, again) == (2, 1, 0)
    assert state(session) == [("B", "present"), ("C", "late")]
    assert list(
        AttendanceEvent.objects.filter(participant=first.participant).values_list("status", "by")
    ) == [("", facilitator.pk), ("present", facilitator.pk)]


def test_unknown_status_is_refused(session, enrollment, facilitator):
    with pytest.raises(ValidationError):
        services.attendance_mark(
            session=session, enrollment=enrollment, status="sick", by=facilitator
        )

    assert AttendanceEvent.objects.count() == 0


def test_mark_all_marks_only_the_unmarked_eligible(session, program, facilitator):
    marked = EnrollmentFactory(program=program, participant__full_name="A Sudah")
    unmarked = EnrollmentFactory(program=program, participant__full_name="B Belum")
    EnrollmentFactory(
        program=program, participant__full_name="C Nanti", enrolled_on=dt.date(2023, 9, 1)
    )
    EnrollmentFactory(program=program, participant__full_name="D Mundur", status="withdrawn")
    services.attendance_mark(session=session, enrollment=marked, status="absent", by=facilitator)
    batch = uuid.uuid4()

    first = services.attendance_mark_all_present(session=session, by=facilitator, batch_id=batch)
    again = services.attendance_mark_all_present(session=session, by=facilitator, batch_id=batch)

    assert (first.marked, first.already_marked, first.not_yet_enrolled) == (1, 1, 1)
    assert (again.marked, again.already_marked, again.not_yet_enrolled) == (0, 2, 1)
    assert state(session) == [("A Sudah", "absent"), ("B Belum", "present")]
    assert AttendanceEvent.objects.filter(participant=unmarked.participant).count() == 1


def test_walk_in_registers_enrolls_and_marks_present(session, facilitator):
    attendance = services.attendance_walk_in(
        session=session,
        by=facilitator,
        consent_method="spoken",
        full_name="Tamu Baru",
        phone="0813 1111 2222",
    )

    enrollment = Enrollment.objects.get(participant=attendance.participant)
    assert (enrollment.source, enrollment.enrolled_on, attendance.status) == (
        "walk_in",
        session.date,
        "present",
    )


def test_walk_in_with_a_known_number_offers_that_person_and_writes_nothing(
    session, enrollment, facilitator
):
    with pytest.raises(DuplicateParticipant) as caught:
        services.attendance_walk_in(
            session=session,
            by=facilitator,
            consent_method="paper",
            full_name="Orang Lain",
            phone=enrollment.participant.phone,
        )

    assert caught.value.existing == enrollment.participant
    assert (Participant.objects.count(), Attendance.objects.count()) == (1, 0)


def test_walk_in_known_enrolls_and_backdates_a_later_enrollment(session, program, facilitator):
    known = ParticipantFactory(organization=program.organization)
    later = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 9, 1))

    services.attendance_walk_in_known(session=session, participant=known, by=facilitator)
    services.attendance_walk_in_known(
        session=session, participant=later.participant, by=facilitator
    )

    later.refresh_from_db()
    assert Enrollment.objects.get(participant=known).enrolled_on == session.date
    assert later.enrolled_on == session.date
    assert [s for _, s in state(session)] == ["present", "present"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_facilitators_marking_at_once_give_one_row_and_no_error():
    enrollment = EnrollmentFactory()
    session = TrainingSessionFactory(program=enrollment.program)
    users = [MembershipFactory(program=enrollment.program).user for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def mark(user, status):
        try:
            barrier.wait()
            services.attendance_mark(session=session, enrollment=enrollment, status=status, by=user)
        except Exception as exc:  # noqa: BLE001 - any error fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=mark, args=(users[0], "present")),
        threading.Thread(target=mark, args=(users[1], "late")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Attendance.objects.count() == 1
    assert Attendance.objects.get().status in {"present", "late"}
    assert AttendanceEvent.objects.count() == 2


# --- views -----------------------------------------------------------------


def test_htmx_mark_returns_the_saved_row(login, facilitator, session, enrollment):
    response = login(facilitator).post(
        mark_url(session),
        {
            "participant": enrollment.participant_id,
            "status": "excused",
            "mark_id": str(uuid.uuid4()),
        },
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert (
        f'value="{enrollment.participant_id}:excused" class="roll-btn roll-excused" '
        'aria-pressed="true"' in html
    )
    assert state(session) == [(enrollment.participant.full_name, "excused")]
    assert len(response.content) < 4096


def test_without_javascript_the_roll_is_one_form_and_the_button_names_the_row(
    login, facilitator, session, program, enrollment
):
    late = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 9, 1))
    client = login(facilitator)

    page = client.get(session.get_absolute_url()).content.decode()
    marked = client.post(mark_url(session), {"mark": f"{enrollment.participant_id}:late"})
    moved = client.post(mark_url(session), {"mark": f"{late.participant_id}:present:move"})

    start = page.index('<div id="roll">')
    roll = page[start : page.index("</ul>", start)]
    assert (roll.count("<form"), roll.count("csrfmiddlewaretoken")) == (1, 1)
    assert f'<button name="mark" value="{enrollment.participant_id}:late"' in roll
    assert f'<button name="mark" value="{late.participant_id}:present:move"' in roll
    assert (marked.status_code, marked.url) == (
        302,
        f"{session.get_absolute_url()}#p-{enrollment.participant_id}",
    )
    assert moved.status_code == 302
    late.refresh_from_db()
    assert late.enrolled_on == session.date
    assert state(session) == sorted(
        [(enrollment.participant.full_name, "late"), (late.participant.full_name, "present")]
    )


def test_a_mark_naming_no_participant_is_refused(login, facilitator, session):
    response = login(facilitator).post(
        mark_url(session), {"mark": "nobody:present"}, HTTP_HX_REQUEST="true"
    )

    assert (response.status_code, response.content.decode()) == (400, "Tanda tidak valid.")
    assert AttendanceEvent.objects.count() == 0


@pytest.mark.parametrize(
    "junk",
    ["", ":present", "\x00:present", "x" * 10_000, "=HYPERLINK(1):present", "{pk}:bogus"],
)
def test_junk_in_the_rolls_button_value_is_refused_and_writes_nothing(
    login, facilitator, session, enrollment, junk
):
    value = junk.replace("{pk}", str(enrollment.participant_id))

    response = login(facilitator).post(mark_url(session), {"mark": value}, HTTP_HX_REQUEST="true")

    assert (response.status_code, response.content.decode()) == (400, "Tanda tidak valid.")
    assert AttendanceEvent.objects.count() == 0


def test_a_button_value_naming_another_programs_participant_is_404(login, facilitator, session):
    foreign = EnrollmentFactory()

    response = login(facilitator).post(
        mark_url(session), {"mark": f"{foreign.participant_id}:present"}
    )

    assert response.status_code == 404
    assert AttendanceEvent.objects.count() == 0


def test_mark_for_a_participant_of_another_program_is_404_and_writes_nothing(
    login, facilitator, session
):
    foreign = EnrollmentFactory()

    response = login(facilitator).post(
        mark_url(session), {"participant": foreign.participant_id, "status": "present"}
    )

    assert response.status_code == 404
    assert AttendanceEvent.objects.count() == 0


def test_mark_in_a_session_of_another_program_is_404_and_writes_nothing(
    login, facilitator, program, enrollment
):
    foreign_session = TrainingSessionFactory()
    url = reverse("attendance_mark", args=[program.slug, foreign_session.pk])

    response = login(facilitator).post(
        url, {"participant": enrollment.participant_id, "status": "present"}
    )

    assert response.status_code == 404
    assert AttendanceEvent.objects.count() == 0


def test_late_joiner_mark_over_htmx_gets_a_clear_message(login, facilitator, session, program):
    late = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 9, 1))

    response = login(facilitator).post(
        mark_url(session),
        {"participant": late.participant_id, "status": "present"},
        HTTP_HX_REQUEST="true",
    )

    assert (response.status_code, response.content.decode()) == (
        409,
        f"{late.participant.full_name} belum terdaftar pada hari sesi ini.",
    )


def test_malformed_mark_is_a_400(login, facilitator, session):
    response = login(facilitator).post(mark_url(session), {"participant": "not-a-uuid"})

    assert response.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_one_mark_is_at_most_eight_queries(client, assert_max_data_queries):
    # Real transactions (no test savepoints), as in production. Session, user,
    # training session, enrolment, the row lock, the newest tap, event, upsert.
    enrollment = EnrollmentFactory()
    session = TrainingSessionFactory(program=enrollment.program)
    user = MembershipFactory(program=enrollment.program).user
    client.force_login(user)

    with assert_max_data_queries(8):
        response = client.post(
            mark_url(session),
            {
                "participant": enrollment.participant_id,
                "status": "present",
                "mark_id": str(uuid.uuid4()),
            },
            HTTP_HX_REQUEST="true",
        )

    assert response.status_code == 200


def test_walk_in_page_offers_the_existing_person(login, facilitator, session, enrollment):
    client = login(facilitator)
    url = reverse("attendance_walk_in", args=[session.program.slug, session.pk])

    response = client.post(
        url, {"full_name": "Lain", "phone": enrollment.participant.phone, "consent_method": "paper"}
    )
    assert response.context["duplicate"] == enrollment.participant

    client.post(
        reverse(
            "attendance_walk_in_known",
            args=[session.program.slug, session.pk, enrollment.participant_id],
        )
    )
    assert state(session) == [(enrollment.participant.full_name, "present")]


def test_attendance_sheet_pdf_holds_the_title_and_every_name(login, facilitator, session, program):
    names = ["Siti Aminah", "Sri Wahyuni", "Nur Hasanah", 'Eka <img src="file:///etc/passwd">']
    for name in names:
        EnrollmentFactory(program=program, participant__full_name=name)

    response = login(facilitator).get(
        reverse("attendance_sheet_pdf", args=[program.slug, session.pk])
    )

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    squeezed = "".join(text.split())  # table cells wrap long names anywhere
    assert session.title in text
    assert [name for name in names if "".join(name.split()) not in squeezed] == []
    assert "root:" not in text


def test_pdf_fetcher_reads_only_our_static_files():
    assert static_file_for(f"{PDF_BASE_URL}static/css/print.css").endswith("static/css/print.css")
    assert static_file_for("file:///etc/passwd") is None
    assert static_file_for(f"{PDF_BASE_URL}static/../../etc/passwd") is None
    assert static_file_for("http://169.254.169.254/latest/meta-data") is None
    assert static_file_for(f"{PDF_BASE_URL}media/secret.txt") is None


def test_exports_neutralise_formulas(login, facilitator, session, program):
    EnrollmentFactory(program=program, participant__full_name='=HYPERLINK("http://x","klik")')
    client = login(facilitator)

    csv_response = client.get(reverse("attendance_export", args=[program.slug, session.pk, "csv"]))
    xlsx_response = client.get(
        reverse("attendance_export", args=[program.slug, session.pk, "xlsx"])
    )

    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0] == ["No", "Nama", "Dusun", "RT/RW", "Status", "Ditandai oleh", "Waktu ditandai"]
    assert rows[1][1] == '\'=HYPERLINK("http://x","klik")'
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet.cell(row=2, column=2).value == '\'=HYPERLINK("http://x","klik")'
    assert csv_response["Content-Disposition"].startswith(
        'attachment; filename="kehadiran-20230805-'
    )


def test_unknown_export_format_is_404(login, facilitator, session):
    url = reverse("attendance_export", args=[session.program.slug, session.pk, "csv"])

    response = login(facilitator).get(url.replace(".csv", ".exe"))

    assert response.status_code == 404


def test_session_summary_counts_only_those_enrolled_by_the_day(program, facilitator):
    early = TrainingSessionFactory(program=program, date=dt.date(2023, 8, 1), title="Awal")
    late = TrainingSessionFactory(program=program, date=dt.date(2023, 8, 10), title="Akhir")
    a, b = EnrollmentFactory.create_batch(2, program=program, enrolled_on=dt.date(2023, 7, 30))
    c = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 8, 5))
    EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 7, 30), status="withdrawn")
    services.attendance_mark(session=early, enrollment=a, status="present", by=facilitator)
    services.attendance_mark(session=early, enrollment=b, status="absent", by=facilitator)
    services.attendance_mark(session=late, enrollment=a, status="late", by=facilitator)
    services.attendance_mark(session=late, enrollment=c, status="present", by=facilitator)

    summary = {
        s.title: (s.n_eligible, s.n_present, s.n_late, s.n_absent, s.n_unmarked, s.rate)
        for s in selectors.session_attendance_summary(program)
    }
    per_person = {
        e.participant_id: (e.sessions_attended, e.sessions_held)
        for e in selectors.participant_attendance(program)
    }

    assert summary == {"Awal": (2, 1, 0, 1, 0, 0.5), "Akhir": (3, 1, 1, 0, 1, 2 / 3)}
    assert per_person == {
        a.participant_id: (2, 2),
        b.participant_id: (0, 2),
        c.participant_id: (1, 1),
    }


# --- late joiners, mark all and its undo ------------------------------------


def mark_all(client, session):
    return client.post(
        reverse("attendance_mark_all", args=[session.program.slug, session.pk]),
        HTTP_HX_REQUEST="true",
    )


def test_late_joiner_is_marked_over_htmx_once_confirmed(login, facilitator, session, program):
    late = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 9, 1))
    client = login(facilitator)

    page = client.get(session.get_absolute_url()).content.decode()
    response = client.post(
        mark_url(session),
        {"participant": late.participant_id, "status": "present", "move_enrollment": "1"},
        HTTP_HX_REQUEST="true",
    )

    late.refresh_from_db()
    # The roll offers her buttons behind one confirmation that names the move.
    assert "data-confirm=" in page and "5 Agustus 2023" in page
    assert (response.status_code, late.enrolled_on) == (200, session.date)
    assert "data-eligible" in response.content.decode()
    assert state(session) == [(late.participant.full_name, "present")]


def test_counter_counts_late_joiners_apart(login, facilitator, session, program):
    EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 9, 1))
    EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 9, 2))

    response = login(facilitator).get(session.get_absolute_url())

    roll = response.context["roll"]
    assert (roll.attended, roll.eligible, roll.late) == (0, 0, 2)
    assert "<span data-roll-late>2</span> terdaftar setelah sesi ini" in response.content.decode()


def test_mark_all_says_what_it_skipped_and_offers_undo(login, facilitator, session, program):
    for day in (1, 2, 3):
        EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 9, day))
    marked = EnrollmentFactory.create_batch(2, program=program)
    EnrollmentFactory(program=program)
    for enrollment in marked:
        services.attendance_mark(
            session=session, enrollment=enrollment, status="absent", by=facilitator
        )

    response = mark_all(login(facilitator), session)

    html = response.content.decode()
    batch = Attendance.objects.get(status="present").mark_id
    assert "1 ditandai hadir; 3 belum terdaftar pada tanggal sesi; 2 sudah ditandai." in html
    assert f'name="batch" value="{batch}"' in html
    assert ">Urungkan</button>" in html


def test_mark_all_with_nobody_left_says_so_without_js(login, facilitator, session, program):
    EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 9, 1))

    response = login(facilitator).post(
        reverse("attendance_mark_all", args=[program.slug, session.pk]), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "0 ditandai hadir; 1 belum terdaftar pada tanggal sesi."
    ]


def test_undo_clears_the_batch_and_keeps_a_later_mark(
    login, facilitator, coordinator, session, program
):
    first, second = EnrollmentFactory.create_batch(2, program=program)
    client = login(facilitator)
    mark_all(client, session)
    batch = Attendance.objects.filter(participant=first.participant).get().mark_id
    services.attendance_mark(session=session, enrollment=second, status="late", by=coordinator)

    response = client.post(
        reverse("attendance_mark_all_undo", args=[program.slug, session.pk]),
        {"batch": str(batch)},
        HTTP_HX_REQUEST="true",
    )

    assert "Diurungkan: 1 tanda dihapus." in response.content.decode()
    assert state(session) == [(second.participant.full_name, "late")]
    assert AttendanceEvent.objects.filter(participant=first.participant, status="").count() == 1


@pytest.mark.parametrize("batch", ["", "junk", "1; DROP TABLE x"])
def test_undo_with_junk_is_a_clear_400(login, facilitator, session, enrollment, batch):
    mark_all(login(facilitator), session)

    response = login(facilitator).post(
        reverse("attendance_mark_all_undo", args=[session.program.slug, session.pk]),
        {"batch": batch},
        HTTP_HX_REQUEST="true",
    )

    assert (response.status_code, response.content.decode()) == (
        400,
        "Tidak ada yang diurungkan: permintaan tidak menyebut “tandai semua”.",
    )
    assert state(session) == [(enrollment.participant.full_name, "present")]


@pytest.mark.parametrize("participants", [1, 3])
def test_session_page_with_late_joiners_is_a_fixed_number_of_queries(
    login, facilitator, session, program, participants, django_assert_num_queries
):
    EnrollmentFactory.create_batch(participants, program=program)
    EnrollmentFactory.create_batch(participants, program=program, enrolled_on=dt.date(2023, 9, 1))
    client = login(facilitator)

    with django_assert_num_queries(SESSION_PAGE_QUERIES):
        response = client.get(session.get_absolute_url())

    assert response.context["roll"].late == participants


@pytest.mark.parametrize("participants", [1, 3])
def test_mark_all_is_a_fixed_number_of_queries(
    login, facilitator, session, program, participants, django_assert_num_queries
):
    EnrollmentFactory.create_batch(participants, program=program)
    client = login(facilitator)

    with django_assert_num_queries(MARK_ALL_QUERIES):
        mark_all(client, session)

    assert Attendance.objects.count() == participants


def test_walk_in_form_asks_for_consent_and_offers_tracks(login, facilitator, session, program):
    template = ChecklistTemplateFactory(organization=program.organization, name="Persyaratan")
    client = login(facilitator)
    url = reverse("attendance_walk_in", args=[program.slug, session.pk])

    form_html = client.get(url).content.decode()
    missing = client.post(url, {"full_name": "Tamu", "phone": "0813 1111 2222"})
    client.post(
        url,
        {
            "full_name": "Tamu",
            "phone": "0813 1111 2222",
            "consent_method": "spoken",
            "tracks": [template.pk],
        },
    )

    enrollment = Enrollment.objects.get(participant__full_name="Tamu")
    assert '<option value="" selected>' in form_html
    assert missing.context["form"].errors["consent_method"] == [
        "Pilih cara ia memberi persetujuan; tanpa itu ia tidak dapat didaftarkan."
    ]
    assert list(enrollment.tracks.values_list("template__name", flat=True)) == ["Persyaratan"]
    assert state(session) == [("Tamu", "present")]


def test_a_marks_lookup_gives_every_kind_of_user_the_role_rules_answer(db, rf):
    """The lookup is compiled once per shape (pkk_training.prepared); each kind
    of user, admins and others in turn, must still get her own role, and
    only those who record may mark."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from programs.permissions import program_role
    from sessions.access import get_marking_session_for_user
    from tests.programs.test_permissions import kinds_of_user

    enrollment = EnrollmentFactory()
    session = TrainingSessionFactory(program=enrollment.program)
    kinds = kinds_of_user(enrollment.program)

    def role(user):
        request = rf.post("/")
        request.user = user
        try:
            found, marked = get_marking_session_for_user(
                request, session.program.slug, session.pk, enrollment.participant_id
            )
        except (Http404, PermissionDenied):
            return None
        assert (found.pk, marked.pk) == (session.pk, enrollment.pk)
        return program_role(user, found.program)

    assert {kind: role(user) for kind, (user, _) in kinds.items()} == {
        kind: role for kind, (_, role) in kinds.items()
    }


def test_a_sessions_page_lookup_gives_every_kind_of_user_the_role_rules_answer(db, rf):
    """get_session_for_user is compiled once per shape (pkk_training.prepared):
    each kind of user, in turn on the same compiled query, gets her own role,
    and the session, its program and organization as the ORM reads them; a
    session of another program, or under another program's address, is a 404."""
    from django.http import Http404

    from programs.permissions import program_role
    from sessions.access import get_session_for_user
    from tests.programs.test_permissions import kinds_of_user

    session = TrainingSessionFactory(title="Praktik membuat video")
    program = session.program
    elsewhere = TrainingSessionFactory()
    kinds = kinds_of_user(program)

    def lookup(user, slug=program.slug, session_id=session.pk):
        request = rf.get("/")
        request.user = user
        try:
            found = get_session_for_user(request, slug, session_id)
        except Http404:
            return None
        return found.user_role, program_role(user, found.program)

    expected = {kind: role and (role, role) for kind, (_, role) in kinds.items()}
    assert {kind: lookup(user) for kind, (user, _) in kinds.items()} == expected
    superuser = kinds["superuser"][0]
    assert [
        lookup(superuser, session_id=elsewhere.pk),
        lookup(superuser, slug=elsewhere.program.slug),
        lookup(superuser, session_id=10**20),
    ] == [None, None, None]

    request = rf.get("/")
    request.user = kinds["facilitator"][0]
    found = get_session_for_user(request, program.slug, session.pk)

    def fields(obj):
        return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

    session.refresh_from_db()
    assert (fields(found), fields(found.program), fields(found.program.organization)) == (
        fields(session),
        fields(program),
        fields(program.organization),
    )
