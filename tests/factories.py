import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from checklists.enums import DEFAULT_BLOCKER_REASONS
from checklists.models import BlockerReason, ChecklistStep, ChecklistTemplate, Track
from participants.enums import ConsentMethod, EnrollmentSource
from participants.models import Enrollment, Participant, ParticipantImport
from programs.enums import MembershipRole, ProgramStatus
from programs.models import Membership, Organization, OrganizationMembership, Program
from reports.enums import Population, SuccessSource
from reports.models import Indicator
from sessions.enums import SessionPhase
from sessions.models import TrainingSession
from surveys.enums import SurveyKind
from surveys.models import Survey
from surveys.services import question_add

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(user, create, extracted, **kwargs):
        if create:
            user.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Universitas Contoh {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class OrganizationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationMembership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Pelatihan Desa {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    village = "Kampung Jaya Tinggi"
    district = "Kecamatan Kasui"
    regency = "Kabupaten Way Kanan"
    province = "Lampung"
    province_code = "18"
    regency_code = "18.08"
    district_code = "18.08.02"
    village_code = "18.08.02.2013"
    start_date = dt.date(2023, 7, 23)
    end_date = dt.date(2023, 8, 15)
    status = ProgramStatus.RUNNING


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.FACILITATOR


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    program = factory.SubFactory(ProgramFactory)
    phase = SessionPhase.TRAINING
    title = factory.Sequence(lambda n: f"Sesi pelatihan {n}")
    date = dt.date(2023, 8, 5)
    start_time = dt.time(9, 0)
    end_time = dt.time(12, 0)
    venue = "Gedung Serba Guna"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    organization = factory.SubFactory(OrganizationFactory)
    full_name = factory.Faker("name_female", locale="id_ID")
    phone = factory.Sequence(lambda n: f"+62813{n:08d}")
    dusun = "Dusun I"
    rt = "001"
    rw = "002"
    consent_method = ConsentMethod.PAPER
    consent_at = factory.LazyFunction(timezone.now)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    program = factory.SubFactory(ProgramFactory)
    participant = factory.SubFactory(
        ParticipantFactory, organization=factory.SelfAttribute("..program.organization")
    )
    source = EnrollmentSource.MANUAL
    enrolled_on = dt.date(2023, 7, 24)


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    """A template with three required steps and the default blocker reasons."""

    class Meta:
        model = ChecklistTemplate
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Daftar sebagai Seller {n}")

    @factory.post_generation
    def steps(template, create, extracted, **kwargs):
        if not create:
            return
        titles = extracted if extracted is not None else ["Daftar", "Unggah KTP", "Tambah produk"]
        for position, title in enumerate(titles, start=1):
            ChecklistStep.objects.create(template=template, position=position, title=title)
        BlockerReason.objects.bulk_create(
            BlockerReason(
                template=template, code=code, label=str(label), needs_note=note, position=i
            )
            for i, (code, label, note) in enumerate(DEFAULT_BLOCKER_REASONS, start=1)
        )


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    enrollment = factory.SubFactory(EnrollmentFactory)
    template = factory.SubFactory(
        ChecklistTemplateFactory,
        organization=factory.SelfAttribute("..enrollment.program.organization"),
    )


class SurveyFactory(factory.django.DjangoModelFactory):
    """An open evaluation survey with one required yes/no question."""

    class Meta:
        model = Survey
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    kind = SurveyKind.EVALUATION
    title = factory.Sequence(lambda n: f"Evaluasi {n}")

    @factory.post_generation
    def questions(survey, create, extracted, **kwargs):
        if not create:
            return
        for spec in (
            extracted
            if extracted is not None
            else [{"kind": "yes_no", "text": "Apakah Ibu sudah menginstal aplikasi TikTok?"}]
        ):
            question_add(survey=survey, **spec)


class IndicatorFactory(factory.django.DjangoModelFactory):
    """Success: attended at least one session; over everyone enrolled."""

    class Meta:
        model = Indicator

    program = factory.SubFactory(ProgramFactory)
    position = factory.Sequence(lambda n: n)
    label = factory.Sequence(lambda n: f"Indikator {n}")
    success_phrase = "peserta hadir"
    failure_phrase = "belum"
    source = SuccessSource.ATTENDED_MIN
    min_sessions = 1
    population = Population.ENROLLED


SURVEY_OF_EVERY_KIND = [
    {"kind": "yes_no", "text": "Sudah menginstal TikTok?"},
    {"kind": "single", "text": "Kenapa belum?", "options": "HP penuh\nTidak ada sinyal"},
    {"kind": "multiple", "text": "Dokumen?", "options": "KTP\nKK\nNPWP"},
    {"kind": "scale", "text": "Manfaat?"},
    {"kind": "number", "text": "Jumlah video?"},
    {"kind": "long_text", "text": "Saran?", "required": False},
]


@dataclass
class SizedProgram:
    program: Program
    facilitator: object
    coordinator: object
    session: TrainingSession
    template: ChecklistTemplate
    survey: Survey
    enrollments: list


def program_of_size(size):
    """A program whose every list has `size` rows: enrolments, marks, tracks,
    progress (done and blocked), answers, follow-ups, imports, indicators.

    For query-count tests: a page's count must be the same at size 1 and 3.
    """
    from checklists.services import current_steps, mentoring_add, progress_mark
    from reports.services import indicator_save
    from sessions.services import attendance_mark
    from surveys.services import response_save

    program = ProgramFactory()
    facilitator = MembershipFactory(program=program, role=MembershipRole.FACILITATOR).user
    coordinator = MembershipFactory(program=program, role=MembershipRole.COORDINATOR).user
    session = TrainingSessionFactory(program=program)
    template = ChecklistTemplateFactory(organization=program.organization)
    first, second, _third = current_steps(template)
    reasons = list(template.blocker_reasons.order_by("position")[:2])
    survey = SurveyFactory(program=program, questions=SURVEY_OF_EVERY_KIND)
    questions = list(survey.questions.prefetch_related("choices").order_by("position"))
    choices = [list(q.choices.all()) for q in questions]
    enrollments = [
        EnrollmentFactory(program=program, participant__full_name=f"Peserta {i:02d}")
        for i in range(size)
    ]
    for i, enrollment in enumerate(enrollments):
        attendance_mark(
            session=session,
            enrollment=enrollment,
            status=("present", "late")[i % 2],
            by=facilitator,
        )
        track = TrackFactory(enrollment=enrollment, template=template)
        progress_mark(track=track, step=first, state="done", by=facilitator)
        progress_mark(
            track=track, step=second, state="blocked", reason=reasons[i % 2], by=facilitator
        )
        mentoring_add(
            enrollment=enrollment,
            by=facilitator,
            date=dt.date(2023, 8, 8),
            channel="whatsapp",
            action=f"Tanya kabar {i}",
            step=second,
        )
        response_save(
            survey=survey,
            participant=enrollment.participant,
            channel="assisted",
            by=facilitator,
            answers={
                questions[0]: [choices[0][(i + 1) % 2]],  # the first says no: a failure at any size
                questions[1]: [choices[1][i % 2]],
                questions[2]: choices[2][: 1 + i % 3],
                questions[3]: [choices[3][i % 5]],
                questions[4]: Decimal(i),
                questions[5]: f"Saran {i}",
            },
        )
        ParticipantImport.objects.create(
            program=program,
            file_name=f"desa-{i}.csv",
            imported_by=coordinator,
            consent_method=ConsentMethod.PAPER,
            new=1,
        )
    IndicatorFactory(program=program)
    indicator_save(
        program=program,
        label="Akun dibuat",
        success_phrase="berhasil",
        failure_phrase="belum",
        source=SuccessSource.CHECKLIST_COMPLETE,
        templates=[template],
        reason_source="checklist",
    )
    indicator_save(
        program=program,
        label="Sudah menginstal",
        success_phrase="sudah",
        failure_phrase="belum",
        source=SuccessSource.SURVEY_ANSWER,
        question=questions[0],
        success_choices=[choices[0][0]],
        population=Population.ANSWERED_SURVEY,
        population_survey=survey,
        reason_source="survey_question",
        reason_question=questions[1],
    )
    return SizedProgram(
        program=program,
        facilitator=facilitator,
        coordinator=coordinator,
        session=session,
        template=template,
        survey=survey,
        enrollments=enrollments,
    )


@dataclass
class ShippedChecklistProgram:
    program: Program
    facilitator: object
    template: ChecklistTemplate


def program_on_shipped_checklist(size, code="tiktok-kreator"):
    """A program of `size` participants all following a shipped template
    (fixtures/; "Daftar sebagai Kreator", 10 steps, unless told), their progress
    spread over its steps as in a running program: the i-th participant has
    done the first i mod (steps + 1) steps, every other one not finished is
    blocked at her next step (the reasons in turn), and every fifth one past
    step 3 had step 3 marked not applicable.

    A program apart from program_of_size's, so that its pages keep their figures.
    """
    from django.core.management import call_command

    from checklists.services import current_steps, progress_mark

    if not ChecklistTemplate.objects.filter(code=code).exists():
        call_command("loaddata", "checklist_templates", verbosity=0)
    template = ChecklistTemplate.objects.get(code=code)
    steps = current_steps(template)
    reasons = list(template.blocker_reasons.filter(needs_note=False).order_by("position"))
    program = ProgramFactory()
    facilitator = MembershipFactory(program=program, role=MembershipRole.FACILITATOR).user
    for i in range(size):
        enrollment = EnrollmentFactory(program=program, participant__full_name=f"Peserta {i:02d}")
        track = TrackFactory(enrollment=enrollment, template=template)
        reached = i % (len(steps) + 1)
        for n, step in enumerate(steps[:reached], start=1):
            state = "not_applicable" if n == 3 and reached > 3 and i % 5 == 0 else "done"
            progress_mark(track=track, step=step, state=state, by=facilitator)
        if reached < len(steps) and i % 2 == 0:
            reason = reasons[i // 2 % len(reasons)]
            progress_mark(
                track=track, step=steps[reached], state="blocked", reason=reason, by=facilitator
            )
    return ShippedChecklistProgram(program=program, facilitator=facilitator, template=template)
