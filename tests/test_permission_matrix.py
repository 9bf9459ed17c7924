"""Every URL of the project, walked as every role, with the exact answer expected.

A new URL pattern that is not in MATRIX fails `test_matrix_covers_every_url`,
so each page joins the matrix when it is written.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from certificates.codes import card_code_new
from certificates.models import Card, Certificate
from jobs.enums import JobStatus
from jobs.models import Job
from participants.models import ParticipantImport, PendingImport
from reports import services as report_services
from reports.models import ReportVersion, Signatory
from surveys.access import personal_token
from surveys.models import HeldResponse
from tests.factories import (
    ChecklistTemplateFactory,
    EnrollmentFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganizationMembershipFactory,
    ParticipantFactory,
    ProgramFactory,
    SurveyFactory,
    TrackFactory,
    TrainingSessionFactory,
    UserFactory,
)

ROLES = ["anonymous", "outsider", "facilitator", "coordinator", "org_coordinator", "admin"]
LOGIN = "login"  # a redirect to the login page


@dataclass
class World:
    program: object
    session: object
    enrollment: object
    other_participant: object  # same organization, not enrolled in the program
    member: object  # a facilitator membership that can be removed
    template: object  # a checklist template of the program's organization
    shared_template: object  # a template shared with every organization
    track: object  # the enrollment following `template`
    survey: object  # an open survey with one yes/no question
    held: object  # a held public answer of the enrollment's participant to `survey`
    indicator: object
    signatory: object
    photo: object
    version: object
    pending_import: object  # an upload of the admin's, awaiting confirmation
    participant_import: object  # a finished import of the program (nothing to reverse)
    job: object  # a finished background job of the organization coordinator's
    certificate: object  # issued to `enrollment`
    card: object  # `enrollment`'s participant card
    users: dict = field(default_factory=dict)


def tiny_jpeg():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format="JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def _photo_and_logo(program):
    report_services.report_settings_save(program=program, logo=tiny_jpeg())
    return report_services.photo_add(program=program, image=tiny_jpeg(), caption="Pelatihan")


def build_world():
    program = ProgramFactory(slug="matrix")
    facilitator = MembershipFactory(program=program, role="facilitator").user
    coordinator = MembershipFactory(program=program, role="coordinator").user
    org_coordinator = OrganizationMembershipFactory(organization=program.organization).user
    outsider = MembershipFactory(role="facilitator").user  # another organization's program
    admin = UserFactory(is_staff=True, is_superuser=True)
    enrollment = EnrollmentFactory(program=program)
    template = ChecklistTemplateFactory(organization=program.organization)
    survey = SurveyFactory(program=program)
    return World(
        program=program,
        session=TrainingSessionFactory(program=program),
        enrollment=enrollment,
        other_participant=ParticipantFactory(organization=program.organization),
        member=MembershipFactory(program=program, role="facilitator"),
        template=template,
        shared_template=ChecklistTemplateFactory(organization=None),
        track=TrackFactory(enrollment=enrollment, template=template),
        survey=survey,
        held=HeldResponse.objects.create(
            survey=survey,
            phone=enrollment.participant.phone,
            participant=enrollment.participant,
            reason="would_replace",
            answers={},
        ),
        indicator=IndicatorFactory(program=program),
        job=Job.objects.create(
            organization=program.organization,
            kind="reports.organization_pdfs",
            title="Rekap",
            status=JobStatus.DONE,
            created_by=org_coordinator,
            result=ContentFile(b"PK", name="matrix.zip"),
            result_name="matrix.zip",
        ),
        signatory=Signatory.objects.create(program=program, role="Kepala Kampung", name="Budi"),
        certificate=Certificate.objects.create(
            program=program,
            enrollment=enrollment,
            name=enrollment.participant.full_name,
            sequence=1,
            number="001/MATRIX/VIII/2023",
            code="ABCDEFGHJK23",
            pdf=b"%PDF-1.7 certificate",
            sha256="0" * 64,
            issued_at=timezone.now(),
        ),
        card=Card.objects.create(enrollment=enrollment, code=card_code_new()),
        photo=_photo_and_logo(program),
        version=ReportVersion.objects.create(
            program=program,
            number=1,
            as_of=dt.date(2023, 8, 12),
            pdf=b"%PDF-1.7 issued",
            sha256="0" * 64,
            issued_at=timezone.now(),
        ),
        pending_import=PendingImport.objects.create(
            program=program,
            uploaded_by=admin,
            file_name="peserta.csv",
            consent_method="paper",
            content=b"Nama;No HP\nSiti;081299990001\n",
        ),
        participant_import=ParticipantImport.objects.create(
            program=program, file_name="lama.csv", consent_method="paper"
        ),
        users={
            "anonymous": None,
            "outsider": outsider,
            "facilitator": facilitator,
            "coordinator": coordinator,
            "org_coordinator": org_coordinator,
            "admin": admin,
        },
    )


def program_kwargs(w):
    return {"program_slug": w.program.slug}


def session_kwargs(w):
    return {**program_kwargs(w), "session_id": w.session.pk}


def participant_kwargs(w):
    return {**program_kwargs(w), "participant_id": w.enrollment.participant_id}


def template_kwargs(w):
    return {"template_id": w.template.pk}


def step_kwargs(w):
    return {**template_kwargs(w), "step_id": w.template.steps.first().pk}


def survey_kwargs(w):
    return {**program_kwargs(w), "survey_id": w.survey.pk}


def question_kwargs(w):
    return {**survey_kwargs(w), "question_id": w.survey.questions.first().pk}


def answer_data(w):
    question = w.survey.questions.first()
    return {f"q{question.pk}": question.choices.first().pk}


def indicator_kwargs(w):
    return {**program_kwargs(w), "indicator_id": w.indicator.pk}


def indicator_data(w):
    return {
        "label": "Hadir minimal 1 sesi",
        "success_phrase": "peserta hadir",
        "failure_phrase": "belum",
        "source": "attended_min",
        "min_sessions": 1,
        "population": "enrolled",
        "reason_source": "none",
    }


def job_kwargs(w):
    return {"job_id": w.job.pk}


def organization_kwargs(w):
    return {"organization_slug": w.program.organization.slug}


def new_program_data(w):
    return {
        "organization": w.program.organization_id,
        "name": "Program baru",
        "slug": "program-baru",
        "province_code": "18",
        "regency_code": "18.08",
        "district_code": "18.08.02",
        "village_code": "18.08.02.2013",
        "start_date": "2024-01-10",
        "status": "planned",
    }


def participant_data(w):
    return {"full_name": "Wati Baru", "phone": "0812 7777 0001", "consent_method": "paper"}


def session_data(w):
    return {"phase": "training", "title": "Sesi baru", "date": "2023-08-05"}


def program_data(w):
    data = new_program_data(w)
    del data["organization"]
    data["slug"] = w.program.slug
    return data


@dataclass
class Case:
    name: str
    kwargs: object = None  # World -> dict of URL kwargs
    get: dict | None = None  # role -> expected status (or LOGIN)
    post: dict | None = None
    data: object = None  # World -> POST data

    def url(self, w):
        return reverse(self.name, kwargs=self.kwargs(w) if self.kwargs else None)


def answers(anonymous=LOGIN, outsider=404, facilitator=200, coordinator=200, admin=200, org=None):
    return {
        "anonymous": anonymous,
        "outsider": outsider,
        "facilitator": facilitator,
        "coordinator": coordinator,
        "org_coordinator": coordinator if org is None else org,
        "admin": admin,
    }


MEMBER_PAGE = answers()
MANAGER_PAGE = answers(facilitator=403)
POST_ONLY = answers(facilitator=405, coordinator=405, admin=405, outsider=405)
EVERYONE_200 = answers(anonymous=200, outsider=200)
ORGANIZATION_PAGE = answers(outsider=404)
EVERYONE_302 = answers(anonymous=302, outsider=302, facilitator=302, coordinator=302, admin=302)
EVERYONE_405 = answers(anonymous=405, outsider=405, facilitator=405, coordinator=405, admin=405)

MATRIX = [
    Case("home", get=answers(outsider=200)),
    Case(
        "program_create",
        get=answers(outsider=403, facilitator=403, coordinator=403, org=200),
        post=answers(outsider=403, facilitator=403, coordinator=403, org=302, admin=302),
        data=new_program_data,
    ),
    Case("program_detail", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case("program_offline_pages", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    # The service worker and its offline page: the same for everyone, no data.
    Case("service_worker", get=EVERYONE_200, post=EVERYONE_405),
    Case("offline", get=EVERYONE_200, post=EVERYONE_405),
    # The program form's location fields: official region names, for anyone signed in.
    Case("region_fields", get=answers(outsider=200), post=POST_ONLY),
    Case("region_search", get=answers(outsider=200), post=POST_ONLY),
    Case(
        "program_edit",
        program_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=program_data,
    ),
    Case(
        "program_members",
        program_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=200, admin=200),  # empty form: errors shown
        data=lambda w: {},
    ),
    Case(
        "member_remove",
        lambda w: {**program_kwargs(w), "membership_id": w.member.pk},
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
    ),
    Case(
        "member_password_reset",
        lambda w: {**program_kwargs(w), "membership_id": w.member.pk},
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=200, admin=200),
    ),
    Case(
        "session_create",
        program_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=session_data,
    ),
    Case("session_detail", session_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "session_edit",
        session_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=session_data,
    ),
    Case(
        "session_delete",
        session_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
    ),
    Case("participant_list", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "participant_create",
        program_kwargs,
        get=MEMBER_PAGE,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=participant_data,
    ),
    Case("participant_detail", participant_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "participant_edit",
        participant_kwargs,
        get=MEMBER_PAGE,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=participant_data,
    ),
    Case("participant_data_json", participant_kwargs, get=MANAGER_PAGE, post=POST_ONLY),
    Case("participant_data_pdf", participant_kwargs, get=MANAGER_PAGE, post=POST_ONLY),
    Case(
        "participant_erase",
        participant_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"confirm": "yes"},
    ),
    Case(
        "participant_enroll",
        lambda w: {**program_kwargs(w), "participant_id": w.other_participant.pk},
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
    ),
    Case(
        "enrollment_edit",
        participant_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"status": "withdrawn"},
    ),
    Case(
        "attendance_mark",
        session_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=lambda w: {"participant": w.enrollment.participant_id, "status": "present"},
    ),
    Case(
        "attendance_mark_all",
        session_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
    ),
    Case(
        "attendance_mark_all_undo",
        session_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=lambda w: {"batch": "0b6f2c1e-8d1a-4c55-9c1e-6f4a1d2b3c4d"},
    ),
    Case(
        "attendance_walk_in",
        session_kwargs,
        get=MEMBER_PAGE,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=participant_data,
    ),
    Case(
        "attendance_walk_in_known",
        lambda w: {**session_kwargs(w), "participant_id": w.other_participant.pk},
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
    ),
    Case("attendance_history", session_kwargs, get=MANAGER_PAGE, post=POST_ONLY),
    Case("attendance_sheet_pdf", session_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "attendance_export",
        lambda w: {**session_kwargs(w), "file_format": "xlsx"},
        get=MEMBER_PAGE,
        post=POST_ONLY,
    ),
    Case("program_attendance", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case("template_list", get=answers(outsider=200)),
    Case(
        "template_create",
        get=answers(outsider=403, facilitator=403),
        post=answers(outsider=403, facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"organization": w.program.organization_id, "name": "Daftar baru"},
    ),
    Case("template_detail", template_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "template_edit",
        template_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"name": "Nama baru"},
    ),
    Case(
        "template_copy",
        template_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"organization": w.program.organization_id},
    ),
    Case(
        "step_create",
        template_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"title": "Langkah baru", "required": "on"},
    ),
    Case(
        "step_edit",
        step_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"title": "Langkah diubah"},
    ),
    Case(
        "step_move",
        step_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"direction": "down"},
    ),
    Case(
        "step_remove",
        step_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
    ),
    Case(
        "reason_list",
        template_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"label": "Alasan baru"},
    ),
    Case(
        "reason_archive",
        lambda w: {**template_kwargs(w), "reason_id": w.template.blocker_reasons.first().pk},
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
    ),
    Case("program_checklists", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "tracks_assign_bulk",
        program_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=lambda w: {"template": w.shared_template.pk},
    ),
    Case(
        "checklist_grid",
        lambda w: {**program_kwargs(w), "template_id": w.template.pk},
        get=MEMBER_PAGE,
        post=POST_ONLY,
    ),
    Case(
        "grid_chip",
        lambda w: {
            **program_kwargs(w),
            "template_id": w.template.pk,
            "track_id": w.track.pk,
            "step_id": w.template.steps.first().pk,
        },
        get=answers(facilitator=302, coordinator=302, admin=302),
        post=POST_ONLY,
    ),
    Case("participant_checklists", participant_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "track_assign",
        participant_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=lambda w: {"template": w.shared_template.pk},
    ),
    Case(
        "track_remove",
        lambda w: {**participant_kwargs(w), "track_id": w.track.pk},
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
    ),
    Case(
        "progress_mark",
        lambda w: {
            **participant_kwargs(w),
            "track_id": w.track.pk,
            "step_id": w.template.steps.first().pk,
        },
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=lambda w: {"state": "done", "version": 0},
    ),
    Case(
        "mentoring_add",
        participant_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=lambda w: {"date": "2023-08-08", "channel": "whatsapp", "action": "Cek status"},
    ),
    Case("survey_list", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "survey_start",
        program_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"start": "library:evaluasi-tiktok"},
    ),
    Case(
        "survey_create",
        program_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"kind": "evaluation", "title": "Survei baru"},
    ),
    Case("survey_detail", survey_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "survey_edit",
        survey_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"kind": "evaluation", "title": "Judul baru"},
    ),
    Case("survey_qr", survey_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "question_create",
        survey_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"kind": "short_text", "text": "Apa kendala Ibu?"},
    ),
    Case(
        "question_edit",
        question_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"kind": "yes_no", "text": "Sudah pasang TikTok?", "required": "on"},
    ),
    Case(
        "question_move",
        question_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"direction": "down"},
    ),
    Case(
        "question_delete",
        question_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
    ),
    Case("survey_respondents", survey_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "survey_answer",
        lambda w: {**survey_kwargs(w), "participant_id": w.enrollment.participant_id},
        get=MEMBER_PAGE,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=answer_data,
    ),
    Case(
        "survey_personal_link",
        lambda w: {**survey_kwargs(w), "participant_id": w.enrollment.participant_id},
        get=MEMBER_PAGE,
        post=POST_ONLY,
    ),
    Case("survey_held", survey_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "survey_held_review",
        lambda w: {**survey_kwargs(w), "held_id": w.held.pk},
        get=POST_ONLY,
        post=answers(facilitator=302, coordinator=302, admin=302),
        data=lambda w: {"action": "discard"},
    ),
    Case(
        "survey_personal",
        lambda w: {"token": personal_token(w.enrollment, w.survey)},
        get=EVERYONE_200,
        post=EVERYONE_302,
        data=answer_data,
    ),
    Case("survey_results", survey_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case("survey_qr_png", survey_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "survey_export",
        lambda w: {**survey_kwargs(w), "file_format": "csv"},
        get=MEMBER_PAGE,
        post=POST_ONLY,
    ),
    Case(
        "survey_public",
        lambda w: {"token": w.survey.public_token},
        get=EVERYONE_200,
        post=EVERYONE_302,
        data=lambda w: {"phone": w.enrollment.participant.phone, **answer_data(w)},
    ),
    Case(
        "survey_public_done",
        lambda w: {"token": w.survey.public_token},
        get=EVERYONE_200,
        post=EVERYONE_405,
    ),
    Case("program_report", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case("program_report_pdf", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case("program_report_docx", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "report_issue",
        program_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"as_of": "2023-08-12"},
    ),
    Case(
        "report_version_pdf",
        lambda w: {**program_kwargs(w), "number": w.version.number},
        get=MEMBER_PAGE,
        post=POST_ONLY,
    ),
    Case(
        "report_settings",
        program_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"letterhead_name": "UIN Raden Intan", "place": "Jaya Tinggi"},
    ),
    Case("report_logo", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "report_photo",
        lambda w: {**program_kwargs(w), "photo_id": w.photo.pk},
        get=MEMBER_PAGE,
        post=POST_ONLY,
    ),
    Case(
        "photo_add",
        program_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"image": tiny_jpeg(), "caption": "Praktik"},
    ),
    Case(
        "photo_edit",
        lambda w: {**program_kwargs(w), "photo_id": w.photo.pk},
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"caption": "Sosialisasi"},
    ),
    Case(
        "photo_move",
        lambda w: {**program_kwargs(w), "photo_id": w.photo.pk},
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"direction": "up"},
    ),
    Case(
        "photo_delete",
        lambda w: {**program_kwargs(w), "photo_id": w.photo.pk},
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
    ),
    Case(
        "signatory_add",
        program_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"role": "DPL", "name": "Siti", "heading": "menyetujui"},
    ),
    Case(
        "signatory_delete",
        lambda w: {**program_kwargs(w), "signatory_id": w.signatory.pk},
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
    ),
    Case(
        "indicator_list",
        program_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=indicator_data,
    ),
    Case(
        "indicators_copy",
        program_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
    ),
    Case(
        "indicator_edit",
        indicator_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=indicator_data,
    ),
    Case(
        "indicator_delete",
        indicator_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
    ),
    Case("organization_rollup", organization_kwargs, get=ORGANIZATION_PAGE, post=POST_ONLY),
    Case(
        "organization_audit",
        organization_kwargs,
        get=answers(facilitator=404, coordinator=404, org=200),
        post=answers(facilitator=405, coordinator=405, admin=405, outsider=405, org=405),
    ),
    Case(
        "organization_locked_accounts",
        organization_kwargs,
        get=answers(facilitator=404),
        post=answers(facilitator=405, coordinator=405, admin=405, outsider=405),
    ),
    Case(
        "account_unlock",
        lambda w: {**organization_kwargs(w), "user_id": w.member.user_id},
        get=EVERYONE_405 | {"anonymous": LOGIN},
        post=answers(facilitator=404, coordinator=302, admin=302),
    ),
    Case("organization_rollup_pdf", organization_kwargs, get=ORGANIZATION_PAGE, post=POST_ONLY),
    Case("organization_rollup_xlsx", organization_kwargs, get=ORGANIZATION_PAGE, post=POST_ONLY),
    Case(
        "organization_rollup_job",
        organization_kwargs,
        get=EVERYONE_405 | {"anonymous": LOGIN},
        post=answers(facilitator=302, coordinator=302, admin=302),
    ),
    Case("job_list", get=answers(outsider=200), post=POST_ONLY | {"outsider": 405}),
    Case("job_detail", job_kwargs, get=answers(facilitator=404), post=POST_ONLY),
    Case("job_download", job_kwargs, get=answers(facilitator=404), post=POST_ONLY),
    Case(
        "job_retry",
        job_kwargs,
        get=EVERYONE_405 | {"anonymous": LOGIN},
        post=answers(facilitator=404, coordinator=302, admin=302),
    ),
    Case(
        "participant_export",
        lambda w: {**program_kwargs(w), "file_format": "xlsx"},
        get=MEMBER_PAGE,
        post=POST_ONLY,
    ),
    Case(
        "participant_import",
        program_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=200, admin=200),  # no file: errors shown
    ),
    Case("participant_import_template", program_kwargs, get=MANAGER_PAGE, post=POST_ONLY),
    Case("participant_import_history", program_kwargs, get=MANAGER_PAGE, post=POST_ONLY),
    Case(
        "participant_import_confirm",
        lambda w: {**program_kwargs(w), "pending_id": w.pending_import.pk},
        get=POST_ONLY,
        # Only the person who uploaded the file can confirm it.
        post=answers(facilitator=403, coordinator=404, admin=302),
        data=lambda w: {"action": "import"},
    ),
    Case(
        "participant_import_undo",
        lambda w: {**program_kwargs(w), "import_id": w.participant_import.pk},
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),  # back to the history
    ),
    Case(
        "participant_import_skipped",
        lambda w: {**program_kwargs(w), "pending_id": w.pending_import.pk},
        get=answers(facilitator=403, coordinator=404, admin=200),
        post=POST_ONLY,
    ),
    Case("certificate_list", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "certificate_settings",
        program_kwargs,
        get=MANAGER_PAGE,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {
            "min_sessions": 1,
            "number_format": "{nomor}/{kode}/{bulan}/{tahun}",
            "title": "SERTIFIKAT",
            "statement": "telah mengikuti",
        },
    ),
    Case(
        "certificates_generate",
        program_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
    ),
    Case(
        "certificate_pdf",
        lambda w: {**program_kwargs(w), "certificate_id": w.certificate.pk},
        get=MEMBER_PAGE,
        post=POST_ONLY,
    ),
    Case(
        "certificate_revoke",
        lambda w: {**program_kwargs(w), "certificate_id": w.certificate.pk},
        get=POST_ONLY,
        post=answers(facilitator=403, coordinator=302, admin=302),
        data=lambda w: {"reason": "Salah nama"},
    ),
    Case("cards_pdf", program_kwargs, get=MEMBER_PAGE, post=POST_ONLY),
    Case(
        "card_scan",
        session_kwargs,
        get=POST_ONLY,
        post=answers(facilitator=200, coordinator=200, admin=200),
        data=lambda w: {"code": w.card.code},
    ),
    Case(
        "certificate_verify",
        lambda w: {"code": w.certificate.code},
        get=EVERYONE_200,
        post=EVERYONE_405,
    ),
    Case(
        "login",
        get=answers(anonymous=200, outsider=302, facilitator=302, coordinator=302, admin=302),
    ),
    Case(
        "logout",
        get=answers(anonymous=405, outsider=405, facilitator=405, coordinator=405, admin=405),
        post=answers(anonymous=302, outsider=302, facilitator=302, coordinator=302, admin=302),
    ),
    Case("password_change", get=answers(outsider=200)),
    Case(
        "password_reset_confirm",
        lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        get=EVERYONE_200,
    ),
    Case("password_reset_complete", get=EVERYONE_200),
    Case("password_change_done", get=answers(outsider=200)),
    Case(
        "set_language",
        get=answers(anonymous=405, outsider=405, facilitator=405, coordinator=405, admin=405),
        post=answers(anonymous=302, outsider=302, facilitator=302, coordinator=302, admin=302),
        data=lambda w: {"language": "en", "next": "/"},
    ),
]


def _names(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the Django admin: see test_admin_* below
            yield from _names(entry, namespace)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"URL pattern {entry.pattern} has no name"
            yield entry.name


def test_matrix_covers_every_url():
    assert sorted(set(_names(get_resolver()))) == sorted(case.name for case in MATRIX)


MATRIX_PARAMS = [
    pytest.param(case, method, role, id=f"{case.name}-{method}-{role}")
    for case in MATRIX
    for method in ("get", "post")
    if getattr(case, method) is not None
    for role in ROLES
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at its end.

    Each case runs in a savepoint within it (pytest-django's django_db), so
    what one case's POST changes never reaches the next.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = build_world()
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "method", "role"), MATRIX_PARAMS)
def test_permission_matrix(client, world, case, method, role):
    if world.users[role]:
        client.force_login(world.users[role])
    url = case.url(world)
    data = case.data(world) if case.data else {}

    response = client.get(url) if method == "get" else client.post(url, data)

    expected = getattr(case, method)[role]
    if expected == LOGIN:
        assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")
    else:
        assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_staff_only(client, world, role):
    if world.users[role]:
        client.force_login(world.users[role])

    response = client.get(reverse("admin:index"))

    if role == "admin":
        assert response.status_code == 200
    else:
        assert (response.status_code, response.url) == (
            302,
            f"{reverse('admin:login')}?next={reverse('admin:index')}",
        )


@pytest.mark.django_db
def test_admin_changelists_and_searches_work(client, world):
    from django.contrib import admin

    client.force_login(world.users["admin"])
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

        response = client.get(url, {"q": "a"})

        assert response.status_code == 200, url
