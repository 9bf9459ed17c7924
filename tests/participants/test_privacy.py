"""Data-subject rights (UU PDP 27/2022): "Data saya", erasure, logged corrections."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists.models import MentoringContact, StepProgress
from participants import services
from participants.models import Participant, ParticipantImport
from programs.models import AuditEvent
from sessions.models import Attendance
from surveys.models import Answer, HeldResponse
from surveys.services import response_save
from tests.factories import (
    ChecklistTemplateFactory,
    EnrollmentFactory,
    SurveyFactory,
    TrackFactory,
    TrainingSessionFactory,
)

NIK = "1808054101900001"


@pytest.fixture
def siti(program, coordinator):
    """An enrolled participant with something in every app."""
    enrollment = EnrollmentFactory(
        program=program,
        participant__full_name="Siti Aminah",
        participant__phone="+6281234500001",
        participant__nik=NIK,
        participant__birth_year=1985,
        participant__address="Jl. Melati 3",
    )
    participant = enrollment.participant
    session = TrainingSessionFactory(program=program, title="Praktik TikTok")
    Attendance.objects.create(
        session=session, participant=participant, status="present", marked_at=timezone.now()
    )
    template = ChecklistTemplateFactory(organization=program.organization, name="Jalur Kreator")
    track = TrackFactory(enrollment=enrollment, template=template)
    StepProgress.objects.create(
        track=track,
        step=template.steps.first(),
        state="blocked",
        reason=template.blocker_reasons.first(),
        note="HP rusak, suami belum izinkan",
        by=coordinator,
        at=timezone.now(),
    )
    MentoringContact.objects.create(
        enrollment=enrollment,
        track=track,
        date=dt.date(2023, 8, 20),
        channel="whatsapp",
        action="Ditelepon; cerita soal utang warung",
        by=coordinator,
    )
    survey = SurveyFactory(
        program=program,
        title="Evaluasi",
        questions=[
            {"kind": "yes_no", "text": "Sudah pasang TikTok?"},
            {"kind": "long_text", "text": "Kendala Ibu?", "required": False},
        ],
    )
    yes_no, text = survey.questions.order_by("position")
    response_save(
        survey=survey,
        participant=participant,
        channel="self",
        answers={yes_no: [yes_no.choices.get(value="yes")], text: "Sinyal lemah di rumah"},
    )
    HeldResponse.objects.create(
        survey=survey,
        phone=participant.phone,
        participant=participant,
        reason="would_replace",
        answers={},
    )
    return enrollment


def _url(name, enrollment):
    return reverse(name, args=[enrollment.program.slug, enrollment.participant_id])


# Data saya


def test_data_saya_json_holds_everything_on_her(login, coordinator, siti):
    response = login(coordinator).get(_url("participant_data_json", siti))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"] == (
        f'attachment; filename="data-saya-{siti.participant_id.hex[:8]}.json"'
    )
    data = json.loads(response.content)
    assert list(data) == [
        "identity",
        "enrollments",
        "attendance",
        "checklist_progress",
        "mentoring",
        "survey_answers",
        "held_survey_answers",
        "audit",
    ]
    identity = data["identity"][0]
    assert (identity["full_name"], identity["phone"], identity["nik"], identity["birth_year"]) == (
        "Siti Aminah",
        "+6281234500001",
        "•••• 0001",  # a coordinator never gets a whole NIK
        1985,
    )
    assert [e["program"] for e in data["enrollments"]] == [siti.program.name]
    assert [(a["session"], a["status"]) for a in data["attendance"]] == [
        ("Praktik TikTok", "Hadir")
    ]
    assert [p["note"] for p in data["checklist_progress"]] == ["HP rusak, suami belum izinkan"]
    assert [m["action"] for m in data["mentoring"]] == ["Ditelepon; cerita soal utang warung"]
    assert [(a["question"], a["answer"]) for a in data["survey_answers"]] == [
        ("Sudah pasang TikTok?", "Ya"),
        ("Kendala Ibu?", "Sinyal lemah di rumah"),
    ]
    assert [h["reason"] for h in data["held_survey_answers"]] == [
        "Akan menggantikan jawaban sebelumnya"
    ]


def test_data_saya_is_logged_and_listed_among_the_events_about_her(login, coordinator, siti):
    client = login(coordinator)
    client.get(_url("participant_data_pdf", siti))

    data = json.loads(client.get(_url("participant_data_json", siti)).content)

    event = AuditEvent.objects.order_by("pk").first()
    assert (event.user, event.action, event.detail, event.people, event.subject) == (
        coordinator,
        "download",
        "personal data (Data saya).pdf",
        1,
        siti.participant_id,
    )
    assert [(e["action"], e["detail"]) for e in data["audit"]] == [
        ("Unduh", "personal data (Data saya).pdf"),
        ("Unduh", "personal data (Data saya).json"),
    ]


def test_an_admin_gets_her_whole_nik(login, admin_user, siti):
    response = login(admin_user).get(_url("participant_data_json", siti))

    assert json.loads(response.content)["identity"][0]["nik"] == NIK
    assert AuditEvent.objects.get().detail == "personal data (Data saya).json (NIK)"


def test_data_saya_pdf_is_a_readable_pdf(login, coordinator, siti):
    response = login(coordinator).get(_url("participant_data_pdf", siti))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["participant_data_json", "participant_data_pdf"])
def test_a_facilitator_may_not_take_her_whole_file(login, facilitator, siti, name):
    assert login(facilitator).get(_url(name, siti)).status_code == 403
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("name", ["participant_data_json", "participant_data_pdf"])
def test_data_saya_of_another_program_is_404(login, outsider, siti, name):
    assert login(outsider).get(_url(name, siti)).status_code == 404


@pytest.mark.parametrize("name", ["participant_data_json", "participant_data_pdf"])
def test_data_saya_sends_anonymous_visitors_to_login(client, siti, name):
    url = _url(name, siti)

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")


@pytest.mark.parametrize("name", ["participant_data_json", "participant_data_pdf"])
def test_data_saya_refuses_post(login, coordinator, siti, name):
    assert login(coordinator).post(_url(name, siti)).status_code == 405


# Erasure


def test_erasure_anonymises_her_and_keeps_the_rows(login, coordinator, siti):
    participant = siti.participant
    ParticipantImport.objects.create(
        program=siti.program,
        file_name="desa.csv",
        consent_method="paper",
        undo={"changed": {str(participant.pk): [["full_name", "Siti A", "Siti Aminah"]]}},
    )

    response = login(coordinator).post(_url("participant_erase", siti), {"confirm": "yes"})

    assert (response.status_code, response.url) == (302, siti.get_absolute_url())
    participant.refresh_from_db()
    assert participant.full_name == f"Peserta terhapus #{participant.pk.hex[:8]}"
    assert (
        participant.phone,
        participant.nik,
        participant.birth_year,
        participant.dusun,
        participant.rt,
        participant.rw,
        participant.address,
        participant.village,
    ) == ("", "", None, "", "", "", "", "")
    assert participant.erased_at is not None
    assert Attendance.objects.filter(participant=participant).count() == 1
    assert list(StepProgress.objects.values_list("state", "note")) == [("blocked", "")]
    assert list(MentoringContact.objects.values_list("channel", "action")) == [("whatsapp", "")]
    assert sorted(Answer.objects.values_list("text", flat=True)) == ["", ""]
    assert Answer.objects.filter(choices__value="yes").count() == 1
    assert HeldResponse.objects.count() == 0
    assert ParticipantImport.objects.get().undo == {"changed": {}}
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.people, event.subject) == (
        coordinator,
        "erasure",
        1,
        participant.pk,
    )


def test_nothing_of_her_is_left_in_the_database(login, coordinator, siti):
    login(coordinator).post(_url("participant_erase", siti), {"confirm": "yes"})
    from django.core import serializers

    from checklists.models import ProgressEvent
    from surveys.models import Response

    dump = serializers.serialize(
        "json",
        [
            *Participant.objects.all(),
            *StepProgress.objects.all(),
            *ProgressEvent.objects.all(),
            *MentoringContact.objects.all(),
            *Response.objects.all(),
            *Answer.objects.all(),
            *HeldResponse.objects.all(),
            *AuditEvent.objects.all(),
        ],
    )
    for secret in ("Siti", "81234500001", NIK, "1985", "Melati", "utang", "suami", "Sinyal"):
        assert secret not in dump


def test_erasure_needs_the_box_ticked(login, coordinator, siti):
    response = login(coordinator).post(_url("participant_erase", siti))

    assert response.status_code == 302
    assert Participant.objects.get(pk=siti.participant_id).full_name == "Siti Aminah"
    assert AuditEvent.objects.count() == 0


def test_an_erased_participant_cannot_be_erased_or_edited_again(coordinator, siti):
    services.participant_erase(participant=siti.participant, by=coordinator)
    participant = Participant.objects.get(pk=siti.participant_id)

    with pytest.raises(services.ValidationError):
        services.participant_erase(participant=participant, by=coordinator)
    with pytest.raises(services.ValidationError):
        services.participant_update(participant=participant, by=coordinator, full_name="Siti")


def test_a_facilitator_may_not_erase(login, facilitator, siti):
    response = login(facilitator).post(_url("participant_erase", siti), {"confirm": "yes"})

    assert response.status_code == 403
    assert Participant.objects.get(pk=siti.participant_id).erased_at is None


def test_erasing_in_another_program_is_404(login, outsider, siti):
    assert (
        login(outsider).post(_url("participant_erase", siti), {"confirm": "yes"}).status_code == 404
    )


def test_erasure_sends_anonymous_visitors_to_login(client, siti):
    url = _url("participant_erase", siti)

    response = client.post(url, {"confirm": "yes"})

    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")


def test_erasure_refuses_get(login, coordinator, siti):
    assert login(coordinator).get(_url("participant_erase", siti)).status_code == 405


def test_an_org_coordinator_may_erase(login, program, siti):
    from tests.factories import OrganizationMembershipFactory

    org_coordinator = OrganizationMembershipFactory(organization=program.organization).user

    login(org_coordinator).post(_url("participant_erase", siti), {"confirm": "yes"})

    assert Participant.objects.get(pk=siti.participant_id).erased_at is not None


# Corrections


def test_a_correction_is_logged_with_the_fields_but_not_their_values(facilitator, siti):
    services.participant_update(
        participant=siti.participant,
        by=facilitator,
        program=siti.program,
        full_name="Siti Aminah",
        phone="0812 3450 0002",
        address="Jl. Mawar 1",
    )

    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.detail, event.subject, event.program) == (
        facilitator,
        "correction",
        "participant corrected: phone, address",
        siti.participant_id,
        siti.program,
    )


def test_the_edit_page_logs_a_correction(login, coordinator, siti):
    response = login(coordinator).post(
        _url("participant_edit", siti),
        {"full_name": "Siti Rahayu", "phone": "0812 3450 0001", "consent_method": "paper"},
    )

    assert response.status_code == 302
    assert AuditEvent.objects.get().detail.startswith("participant corrected: full_name")


def test_saving_without_a_change_logs_nothing(coordinator, siti):
    services.participant_update(
        participant=siti.participant, by=coordinator, full_name="Siti Aminah"
    )

    assert AuditEvent.objects.count() == 0


# Reports stay correct


def test_table_1_of_the_demo_is_identical_after_an_erasure(db):
    from demo.services import PROGRAM_SLUG, demo_load
    from programs.models import Program
    from reports.selectors import program_indicators, program_report

    demo_load()
    program = Program.objects.get(slug=PROGRAM_SLUG)

    def figures():
        report = program_report(program)
        return (
            report["enrolled"],
            [
                (r.indicator.label, r.numerator, r.denominator, r.enrolled, list(r.reasons))
                for r in program_indicators(program)
            ],
            [(s.title, s.n_eligible, s.n_present, s.n_absent) for s in report["sessions"]],
        )

    before = figures()
    # The demo participant with the most recorded: attendance, steps, mentoring.
    participant = (
        Participant.objects.filter(
            enrollments__program=program,
            enrollments__mentoring_contacts__isnull=False,
            attendance__isnull=False,
        )
        .order_by("pk")
        .first()
    )

    services.participant_erase(participant=participant, by=None, program=program)

    assert figures() == before
    assert before[1][0][1:4] == (18, 20, 30)
