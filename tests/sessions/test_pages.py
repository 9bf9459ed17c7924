"""One behaviour test for each program, session and attendance view that had only the matrix."""

import datetime as dt
import re
import uuid

from django.urls import reverse

from sessions import services
from sessions.models import Attendance, AttendanceEvent, TrainingSession
from tests.factories import EnrollmentFactory, TrainingSessionFactory
from tests.pages import messages_of, table_rows, text_of


def test_session_page_shows_the_roll_with_each_mark(login, facilitator, program):
    session = TrainingSessionFactory(program=program, title="Membuat akun")
    ani = EnrollmentFactory(program=program, participant__full_name="Ani")
    EnrollmentFactory(program=program, participant__full_name="Budi")
    EnrollmentFactory(
        program=program, participant__full_name="Cici", enrolled_on=dt.date(2023, 9, 1)
    )
    services.attendance_mark(session=session, enrollment=ani, status="late", by=facilitator)

    response = login(facilitator).get(session.get_absolute_url())

    roll = response.context["roll"]
    assert [(r.full_name, r.status, r.eligible) for r in roll.rows] == [
        ("Ani", "late", True),
        ("Budi", "", True),
        ("Cici", "", False),
    ]
    assert "1 / 2 hadir" in text_of(response)


def test_coordinator_edits_a_session(login, coordinator, program):
    session = TrainingSessionFactory(program=program, title="Lama")

    response = login(coordinator).post(
        reverse("session_edit", args=[program.slug, session.pk]),
        {"phase": "mentoring", "title": "Pendampingan", "date": "2023-08-09", "venue": "Balai"},
    )

    session.refresh_from_db()
    assert response.url == session.get_absolute_url()
    assert (session.phase, session.title, session.date, session.venue) == (
        "mentoring",
        "Pendampingan",
        dt.date(2023, 8, 9),
        "Balai",
    )


def test_coordinator_deletes_a_session_and_its_marks(login, coordinator, program, enrollment):
    session = TrainingSessionFactory(program=program)
    kept = TrainingSessionFactory(program=program)
    services.attendance_mark(session=session, enrollment=enrollment, status="present", by=None)

    response = login(coordinator).post(reverse("session_delete", args=[program.slug, session.pk]))

    assert response.url == reverse("program_detail", args=[program.slug])
    assert list(TrainingSession.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Attendance.objects.count() == 0
    assert messages_of(response) == ["Sesi dihapus."]


def test_mark_all_from_the_page_marks_the_unmarked_present(login, facilitator, program):
    session = TrainingSessionFactory(program=program)
    absent = EnrollmentFactory(program=program, participant__full_name="Ani")
    EnrollmentFactory(program=program, participant__full_name="Budi")
    services.attendance_mark(session=session, enrollment=absent, status="absent", by=facilitator)

    response = login(facilitator).post(
        reverse("attendance_mark_all", args=[program.slug, session.pk]),
        {"mark_id": "not-a-uuid"},
    )

    assert response.url == session.get_absolute_url()
    assert sorted(
        Attendance.objects.values_list("participant__full_name", "status", "marked_by")
    ) == [("Ani", "absent", facilitator.pk), ("Budi", "present", facilitator.pk)]
    assert messages_of(response) == ["1 ditandai hadir; 1 sudah ditandai."]


def test_mark_all_over_htmx_returns_the_updated_roll(login, facilitator, program, enrollment):
    session = TrainingSessionFactory(program=program)

    response = login(facilitator).post(
        reverse("attendance_mark_all", args=[program.slug, session.pk]), HTTP_HX_REQUEST="true"
    )

    assert [t.name for t in response.templates][0] == "sessions/_roll.html"
    assert (response.context["roll"].attended, response.context["roll"].eligible) == (1, 1)


def test_history_lists_every_change_newest_first(login, facilitator, coordinator, program):
    session = TrainingSessionFactory(program=program)
    ani = EnrollmentFactory(program=program, participant__full_name="Ani")
    services.attendance_mark(session=session, enrollment=ani, status="absent", by=facilitator)
    services.attendance_mark(session=session, enrollment=ani, status="present", by=coordinator)

    response = login(coordinator).get(
        reverse("attendance_history", args=[program.slug, session.pk]), {"page": "junk"}
    )

    assert [(e.participant.full_name, e.status, e.by) for e in response.context["events"]] == [
        ("Ani", "present", coordinator),
        ("Ani", "absent", facilitator),
    ]
    assert AttendanceEvent.objects.count() == 2
    assert "Ani: Hadir" in text_of(response)


def test_program_attendance_counts_per_session_and_per_participant(login, facilitator, program):
    first = TrainingSessionFactory(program=program, title="Pertama", date=dt.date(2023, 8, 1))
    second = TrainingSessionFactory(program=program, title="Kedua", date=dt.date(2023, 8, 8))
    ani = EnrollmentFactory(program=program, participant__full_name="Ani")
    budi = EnrollmentFactory(program=program, participant__full_name="Budi")
    services.attendance_mark(session=first, enrollment=ani, status="present", by=None)
    services.attendance_mark(session=first, enrollment=budi, status="absent", by=None)
    services.attendance_mark(session=second, enrollment=ani, status="late", by=None)

    response = login(facilitator).get(reverse("program_attendance", args=[program.slug]))

    assert table_rows(response, "participant-summary")[1:] == ["Ani | 2 / 2", "Budi | 0 / 2"]
    assert [
        (s.title, s.n_present, s.n_late, s.n_absent, s.n_unmarked, s.n_attended)
        for s in response.context["sessions"]
    ] == [("Pertama", 1, 0, 1, 0, 1), ("Kedua", 0, 1, 0, 1, 1)]


def test_a_marks_answer_is_the_row_the_roll_shows(login, facilitator, program):
    # The outbox swaps the answer in place of the row: the two must not drift.
    session = TrainingSessionFactory(program=program)
    enrollment = EnrollmentFactory(program=program, participant__phone="081234567890")
    client = login(facilitator)

    answer = client.post(
        reverse("attendance_mark", args=[program.slug, session.pk]),
        {"participant": enrollment.participant_id, "status": "late", "mark_id": str(uuid.uuid4())},
        HTTP_HX_REQUEST="true",
    )
    page = client.get(session.get_absolute_url()).content.decode()

    pk = enrollment.participant_id
    row = re.search(rf'<li class="roll-row" id="p-{pk}".*?</li>\n', page, re.S)
    assert answer.status_code == 200
    assert answer.content.decode() == row.group(0)
    assert 'data-status="late"' in row.group(0)


def test_the_roll_written_in_python_escapes_what_people_typed(login, facilitator, program):
    # sessions/roll_markup.py writes the rows without the template's autoescape.
    session = TrainingSessionFactory(program=program)
    attack = '"><img src=x onerror=alert(1)>'
    on_time = EnrollmentFactory(program=program, participant__full_name=f"Ani{attack}")
    EnrollmentFactory(
        program=program, participant__full_name=f"Cici{attack}", enrolled_on=dt.date(2099, 1, 1)
    )
    facilitator.first_name = f"Fasil{attack}"
    facilitator.save()
    services.attendance_mark(session=session, enrollment=on_time, status="present", by=facilitator)

    html = login(facilitator).get(session.get_absolute_url()).content.decode()

    assert "<img" not in html
    # Two names, the late joiner's question, who marked, and the header's account name.
    assert html.count("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") == 5
