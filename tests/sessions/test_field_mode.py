"""Field mode on the server: the service worker, the pages stored for offline, receipts."""

import datetime as dt
import json
import re
import uuid

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants.models import Participant
from sessions.models import Attendance
from tests.factories import (
    EnrollmentFactory,
    SurveyFactory,
    TrackFactory,
    TrainingSessionFactory,
)
from tests.production import production_static


def test_service_worker_is_served_from_the_root_with_the_shell_files(client):
    response = client.get("/sw.js")

    body = response.content.decode()
    config = json.loads(body.split("var CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert (response["Content-Type"], response["Service-Worker-Allowed"]) == (
        "text/javascript; charset=utf-8",
        "/",
    )
    assert response["Cache-Control"] == "no-cache"
    assert config["offline"] == "/offline/"
    assert config["static_prefix"] == "/static/"
    assert "/static/js/outbox.js" in config["shell"]
    assert len(config["version"]) == 12


def test_service_worker_names_the_hashed_files_in_production(tmp_path):
    with production_static(tmp_path):
        response = Client().get("/sw.js")

    config = json.loads(response.content.decode().split("var CONFIG = ", 1)[1].split(";\n")[0])
    assert response.status_code == 200
    assert config["static_prefix"] == "/static/"
    assert all(re.fullmatch(r"/static/.+\.[0-9a-f]{12}\.(js|css|svg)", u) for u in config["shell"])


def test_offline_page_says_there_is_no_signal_in_indonesian(client):
    response = client.get(reverse("offline"))

    assert response.status_code == 200
    assert '<h1 class="h3">Tidak ada sinyal</h1>' in response.content.decode()


def test_roll_page_may_be_stored_for_offline_and_says_so(login, facilitator, program):
    session = TrainingSessionFactory(program=program)

    response = login(facilitator).get(session.get_absolute_url())

    assert response["X-Offline-Page"] == "1"
    assert "data-offline-page" in response.content.decode()


def test_a_page_not_meant_for_offline_is_never_stored(login, facilitator, program):
    response = login(facilitator).get(reverse("program_attendance", args=[program.slug]))

    assert "X-Offline-Page" not in response


def test_prepare_for_offline_lists_today_and_tomorrow_with_what_they_need(
    login, facilitator, program
):
    today = timezone.localdate()
    yesterday = TrainingSessionFactory(program=program, date=today - dt.timedelta(days=1))
    now = TrainingSessionFactory(program=program, date=today)
    tomorrow = TrainingSessionFactory(program=program, date=today + dt.timedelta(days=1))
    enrollment = EnrollmentFactory(program=program)
    track = TrackFactory(enrollment=enrollment)
    survey = SurveyFactory(program=program, anonymous=False)
    slug, person = program.slug, enrollment.participant_id

    response = login(facilitator).get(reverse("program_offline_pages", args=[slug]))

    urls = response.json()["urls"]
    assert response["Cache-Control"] == "no-store"
    assert yesterday.get_absolute_url() not in urls
    assert urls == [  # in the order of INSTALLED_APPS
        f"/programs/{slug}/participants/",
        f"/programs/{slug}/participants/{person}/",
        f"/programs/{slug}/",
        now.get_absolute_url(),
        f"/programs/{slug}/sessions/{now.pk}/attendance/walk-in/",
        tomorrow.get_absolute_url(),
        f"/programs/{slug}/sessions/{tomorrow.pk}/attendance/walk-in/",
        f"/programs/{slug}/checklists/",
        f"/programs/{slug}/checklists/{track.template_id}/",
        f"/programs/{slug}/participants/{person}/checklists/",
        f"/programs/{slug}/surveys/",
        f"/programs/{slug}/surveys/{survey.pk}/answer/",
        f"/programs/{slug}/surveys/{survey.pk}/answer/{person}/",
    ]


def test_program_page_shows_today_first(login, facilitator, program):
    today = TrainingSessionFactory(program=program, date=timezone.localdate(), title="Praktik")
    TrainingSessionFactory(program=program, date=dt.date(2023, 8, 5), title="Sosialisasi")

    response = login(facilitator).get(reverse("program_detail", args=[program.slug]))

    assert [s.title for s in response.context["today"]] == [today.title]
    html = response.content.decode()
    assert html.index('<h2 class="h5" id="today-title">Hari ini</h2>') < html.index("Sosialisasi")
    assert "Siapkan untuk offline" in html


def test_our_answers_carry_the_outbox_receipt(login, facilitator, program):
    session = TrainingSessionFactory(program=program)
    enrollment = EnrollmentFactory(program=program, enrolled_on=session.date)
    entry = str(uuid.uuid4())

    response = login(facilitator).post(
        reverse("attendance_mark", args=[program.slug, session.pk]),
        {"participant": enrollment.participant_id, "status": "present", "mark_id": entry},
        HTTP_HX_REQUEST="true",
        HTTP_X_OUTBOX_ID=entry,
    )

    assert (response.status_code, response["X-Outbox-Id"]) == (200, entry)


def test_a_malformed_receipt_is_not_echoed(client):
    response = client.get(reverse("offline"), HTTP_X_OUTBOX_ID="x\r\nSet-Cookie: a=b")

    assert "X-Outbox-Id" not in response


def test_pages_travel_compressed(login, facilitator, program):
    session = TrainingSessionFactory(program=program)
    EnrollmentFactory.create_batch(30, program=program, enrolled_on=session.date)
    client = login(facilitator)

    plain = client.get(session.get_absolute_url())
    packed = client.get(session.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")

    assert (plain.get("Content-Encoding"), packed["Content-Encoding"]) == (None, "gzip")
    assert len(packed.content) < len(plain.content) / 4


def outbox_walk_in(client, session, entry, **fields):
    return client.post(
        reverse("attendance_walk_in", args=[session.program.slug, session.pk]),
        {"consent_method": "paper", "mark_id": entry, **fields},
        HTTP_HX_REQUEST="true",
        HTTP_X_OUTBOX_ID=entry,
    )


def test_outbox_walk_in_sent_twice_registers_her_once(login, facilitator, program):
    session = TrainingSessionFactory(program=program)
    client = login(facilitator)
    entry = str(uuid.uuid4())

    first = outbox_walk_in(client, session, entry, full_name="Wati Baru", phone="0812 7777 0001")
    again = outbox_walk_in(client, session, entry, full_name="Wati Baru", phone="0812 7777 0001")

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.content.decode().startswith('<li class="roll-row" id="p-')
    assert list(Participant.objects.values_list("full_name", flat=True)) == ["Wati Baru"]
    assert list(Attendance.objects.values_list("status", flat=True)) == ["present"]


def test_outbox_walk_in_with_a_known_phone_and_name_marks_that_person(login, facilitator, program):
    session = TrainingSessionFactory(program=program)
    known = EnrollmentFactory(program=program, participant__full_name="Siti Aminah").participant

    response = outbox_walk_in(
        login(facilitator), session, str(uuid.uuid4()), full_name="SITI aminah", phone=known.phone
    )

    assert response.status_code == 200
    assert "Sudah terdaftar (nomor HP dan nama sama): ditandai hadir." in response.content.decode()
    assert Participant.objects.count() == 1
    assert list(Attendance.objects.values_list("participant", "status")) == [(known.pk, "present")]


def test_outbox_walk_in_with_a_known_phone_but_another_name_is_kept_for_review(
    login, facilitator, program
):
    session = TrainingSessionFactory(program=program)
    known = EnrollmentFactory(program=program, participant__full_name="Siti Aminah").participant

    response = outbox_walk_in(
        login(facilitator), session, str(uuid.uuid4()), full_name="Rina", phone=known.phone
    )

    assert (response.status_code, response.content.decode()) == (
        409,
        "Belum didaftarkan: nomor HP ini milik Siti Aminah. Buka formulir peserta datang "
        "langsung untuk memutuskan apakah itu dia.",
    )
    assert (Participant.objects.count(), Attendance.objects.count()) == (1, 0)


def test_a_form_saved_from_the_outbox_answers_200_with_where_it_would_go(
    login, facilitator, program
):
    session = TrainingSessionFactory(program=program)
    enrollment = EnrollmentFactory(program=program, enrolled_on=session.date)
    entry = str(uuid.uuid4())

    response = login(facilitator).post(
        reverse("attendance_mark", args=[program.slug, session.pk]),
        {"participant": enrollment.participant_id, "status": "present"},
        HTTP_X_OUTBOX_ID=entry,  # no HX-Request: the view redirects to the roll
    )

    assert (response.status_code, response["X-Outbox-Id"]) == (200, entry)
    assert (
        response["X-Outbox-Location"]
        == f"{session.get_absolute_url()}#p-{enrollment.participant_id}"
    )


def test_an_outbox_post_after_the_session_ended_waits_for_the_next_login(client, program):
    session = TrainingSessionFactory(program=program)

    response = client.post(
        reverse("attendance_mark", args=[program.slug, session.pk]),
        {"participant": str(uuid.uuid4()), "status": "present"},
        HTTP_X_OUTBOX_ID=str(uuid.uuid4()),
    )

    assert response.status_code == 401
