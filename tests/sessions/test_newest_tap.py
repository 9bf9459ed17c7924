"""The server's rule for marks sent late by phones that were offline: the newest tap wins."""

import datetime as dt
import re
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from sessions import selectors, services
from sessions.models import Attendance, AttendanceEvent
from tests.factories import EnrollmentFactory, MembershipFactory, TrainingSessionFactory

NOON = dt.datetime(2023, 8, 5, 5, 0, tzinfo=dt.UTC)  # 12:00 in Lampung


@pytest.fixture
def session(program):
    return TrainingSessionFactory(program=program, date=dt.date(2023, 8, 5))


def mark(session, enrollment, status, by, minute, mark_id=None):
    return services.attendance_mark(
        session=session,
        enrollment=enrollment,
        status=status,
        by=by,
        mark_id=mark_id,
        tapped_at=NOON + dt.timedelta(minutes=minute),
    )


def trail(session):
    return list(
        AttendanceEvent.objects.filter(session=session)
        .order_by("tapped_at")
        .values_list("status", "by__username", "superseded")
    )


def test_a_newer_tap_replaces_an_older_one(session, enrollment, facilitator):
    mark(session, enrollment, "excused", facilitator, minute=1)

    attendance, changed = mark(session, enrollment, "absent", facilitator, minute=2)

    assert (changed, attendance.status) == (True, "absent")
    assert Attendance.objects.get().tapped_at == NOON + dt.timedelta(minutes=2)


def test_an_older_tap_arriving_later_is_kept_in_the_trail_but_not_applied(
    session, enrollment, facilitator, coordinator
):
    mark(session, enrollment, "present", coordinator, minute=5)

    # The facilitator's phone was offline: her tap at 12:03 arrives after the 12:05 one.
    attendance, changed = mark(session, enrollment, "absent", facilitator, minute=3)

    assert (changed, attendance.status, attendance.marked_by) == (False, "present", coordinator)
    assert Attendance.objects.get().status == "present"
    assert trail(session) == [
        ("absent", facilitator.username, True),
        ("present", coordinator.username, False),
    ]


def test_an_older_tap_never_revives_a_cleared_mark(session, enrollment, facilitator):
    mark(session, enrollment, "present", facilitator, minute=1)
    mark(session, enrollment, "", facilitator, minute=4)

    attendance, changed = mark(session, enrollment, "late", facilitator, minute=2)

    assert (attendance, changed) == (None, False)
    assert Attendance.objects.count() == 0


def test_a_tap_from_the_future_counts_as_now(session, enrollment, facilitator):
    future = timezone.now() + dt.timedelta(hours=3)
    services.attendance_mark(
        session=session, enrollment=enrollment, status="present", by=facilitator, tapped_at=future
    )

    # A phone whose clock runs hours ahead cannot lock the row against everyone else.
    attendance, changed = services.attendance_mark(
        session=session, enrollment=enrollment, status="absent", by=facilitator
    )

    assert (changed, attendance.status) == (True, "absent")


def test_disagreements_list_the_taps_that_lost(session, enrollment, facilitator, coordinator):
    mark(session, enrollment, "present", coordinator, minute=5)
    mark(session, enrollment, "absent", facilitator, minute=3)

    rows = [
        (d.full_name, d.status_label, d.by, d.current_label)
        for d in selectors.attendance_disagreements(session)
    ]

    assert rows == [
        (enrollment.participant.full_name, "Tidak hadir", facilitator.first_name, "Hadir")
    ]


def test_the_roll_lists_the_taps_that_lost_by_name_with_a_cleared_tap_and_a_deleted_account(
    login, session, enrollment, facilitator, coordinator, program
):
    from tests.factories import UserFactory

    gone = UserFactory(first_name="", username="kader.lama")
    second = EnrollmentFactory(program=program, participant__full_name="Aminah")
    enrollment.participant.full_name = "Siti"
    enrollment.participant.save()
    mark(session, enrollment, "present", coordinator, minute=5)
    mark(session, enrollment, "", facilitator, minute=3)  # a cleared mark, arriving late
    mark(session, second, "late", facilitator, minute=9)
    mark(session, second, "absent", gone, minute=4)
    gone.delete()

    page = login(facilitator).get(session.get_absolute_url()).content.decode()

    start = page.index('id="disagreements"')
    section = page[start : page.index("</ul>", start)]
    assert [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in section.split("<li>")[1:]] == [
        "Aminah : Tidak hadir oleh — pukul 12:04, tidak diterapkan; sekarang Terlambat.",
        f"Siti : dihapus oleh {facilitator.first_name} pukul 12:03, tidak diterapkan; "
        "sekarang Hadir.",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_concurrent_taps_end_in_the_newest_whatever_the_arrival_order():
    enrollment = EnrollmentFactory()
    session = TrainingSessionFactory(program=enrollment.program)
    users = [MembershipFactory(program=enrollment.program).user for _ in range(8)]
    barrier = threading.Barrier(len(users))
    errors = []

    def tap(minute, user):
        try:
            barrier.wait()
            status = "late" if minute == len(users) - 1 else "absent"
            mark(session, enrollment, status, user, minute=minute)
        except Exception as exc:  # noqa: BLE001 - any error fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(m, u)) for m, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert list(Attendance.objects.values_list("status", "tapped_at")) == [
        ("late", NOON + dt.timedelta(minutes=7))
    ]
    assert AttendanceEvent.objects.count() == 8
    assert AttendanceEvent.objects.filter(superseded=False).latest("tapped_at").status == "late"


# --- over HTTP ---------------------------------------------------------------


def post_mark(client, session, enrollment, status, mark_id, **extra):
    return client.post(
        reverse("attendance_mark", args=[session.program.slug, session.pk]),
        {"participant": enrollment.participant_id, "status": status, "mark_id": mark_id, **extra},
        HTTP_HX_REQUEST="true",
    )


def test_a_reused_mark_id_is_a_409_showing_the_real_row(login, facilitator, session, enrollment):
    # Issue #11, defect 5: the server used to answer 200 with the row while
    # the participant stayed unmarked.
    client = login(facilitator)
    mark_id = str(uuid.uuid4())
    post_mark(client, session, enrollment, "", mark_id)  # a clearing tap: nobody marked

    response = post_mark(client, session, enrollment, "present", mark_id)

    html = response.content.decode()
    assert response.status_code == 409
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert (
        '<p class="roll-error" role="alert">Ketukan ini tidak diterapkan: '
        "kodenya sudah dipakai untuk tanda lain.</p>"
    ) in html
    assert 'aria-pressed="true"' not in html  # the row shows her unmarked, as she is
    assert "Belum ditandai" in html
    assert Attendance.objects.count() == 0
    assert AttendanceEvent.objects.count() == 1


def test_a_reused_mark_id_without_htmx_says_so_on_the_roll(login, facilitator, session, enrollment):
    client = login(facilitator)
    mark_id = str(uuid.uuid4())
    post_mark(client, session, enrollment, "absent", mark_id)

    response = client.post(
        reverse("attendance_mark", args=[session.program.slug, session.pk]),
        {"participant": enrollment.participant_id, "status": "present", "mark_id": mark_id},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Ketukan ini tidak diterapkan: kodenya sudah dipakai untuk tanda lain."
    ]
    assert Attendance.objects.get().status == "absent"


def test_the_same_tap_resent_after_a_lost_answer_is_saved_once(
    login, facilitator, session, enrollment
):
    client = login(facilitator)
    mark_id = str(uuid.uuid4())
    post_mark(client, session, enrollment, "late", mark_id)

    response = post_mark(client, session, enrollment, "late", mark_id)

    assert response.status_code == 200
    assert (
        f'value="{enrollment.participant_id}:late" class="roll-btn roll-late" aria-pressed="true"'
        in response.content.decode()
    )
    assert (Attendance.objects.count(), AttendanceEvent.objects.count()) == (1, 1)


def test_the_tap_age_by_the_phone_clock_sets_the_tap_time(login, facilitator, session, enrollment):
    # The phone's clock is a year off; the tap was made 90 s before sending.
    wrong_clock = int(dt.datetime(2022, 1, 1, tzinfo=dt.UTC).timestamp() * 1000)
    before = timezone.now()

    post_mark(
        login(facilitator),
        session,
        enrollment,
        "present",
        str(uuid.uuid4()),
        tapped_at=wrong_clock - 90_000,
        sent_at=wrong_clock,
    )

    age = before - Attendance.objects.get().tapped_at
    assert dt.timedelta(seconds=89) < age < dt.timedelta(seconds=91)


def test_an_older_tap_over_http_shows_the_newer_mark_and_says_why(
    login, facilitator, session, enrollment, coordinator
):
    mark(session, enrollment, "present", coordinator, minute=5)
    old = int((NOON + dt.timedelta(minutes=3)).timestamp() * 1000)

    response = post_mark(
        login(facilitator), session, enrollment, "absent", str(uuid.uuid4()), tapped_at=old
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f'value="{enrollment.participant_id}:present" class="roll-btn roll-present" '
        'aria-pressed="true"' in html
    )
    assert (
        "Ketukan yang lebih baru sudah menetapkan ini; ketukan Anda disimpan di riwayat perubahan."
        in html
    )


def test_mark_all_tapped_offline_keeps_its_tap_time_against_later_single_taps(
    session, program, facilitator, coordinator
):
    ani = EnrollmentFactory(program=program, participant__full_name="Ani")
    budi = EnrollmentFactory(program=program, participant__full_name="Budi")
    services.attendance_mark_all_present(
        session=session, by=facilitator, tapped_at=NOON + dt.timedelta(minutes=1)
    )

    # Budi was marked absent on another phone at 12:20, after "mark all" at 12:01.
    attendance, changed = mark(session, budi, "absent", coordinator, minute=20)

    assert (changed, attendance.status) == (True, "absent")
    assert sorted(
        Attendance.objects.values_list("participant__full_name", "status", "tapped_at")
    ) == [
        (ani.participant.full_name, "present", NOON + dt.timedelta(minutes=1)),
        (budi.participant.full_name, "absent", NOON + dt.timedelta(minutes=20)),
    ]
