"""What happened in the demo program: attendance, signup progress, the evaluation,
Table 1 and who receives a certificate."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from certificates.models import CertificateSettings
from certificates.services import certificate_settings_update
from checklists.enums import StepState
from checklists.models import (
    BlockerReason,
    ChecklistTemplate,
    MentoringContact,
    StepProgress,
    Track,
)
from checklists.services import current_steps, progress_mark, track_assign
from demo.data import (
    MENTORING,
    NO_BANK_ACCOUNT,
    NO_TIKTOK,
    NO_VIDEO,
    PARTICIPANTS,
    SELLERS,
    SESSIONS,
    STUCK,
    TRAINED,
    TRAINING_DAY,
    demo_phone,
)
from reports.enums import Population, ReasonSource, SuccessSource
from reports.services import indicator_save
from sessions.enums import AttendanceStatus, SessionPhase
from sessions.models import Attendance
from sessions.services import attendance_mark
from surveys.enums import ResponseChannel
from surveys.library import EVALUATION_TIKTOK
from surveys.services import response_save, survey_from_definition


def demo_attendance_plan(index):
    """Status per session title for the participant at `index` (1-based); None = unmarked."""
    trained = index <= TRAINED
    return {
        # The survey phase met the village officials, not the participants.
        SESSIONS[1][1]: AttendanceStatus.PRESENT if index % 8 else AttendanceStatus.EXCUSED,
        SESSIONS[2][1]: AttendanceStatus.LATE if index % 10 == 0 else AttendanceStatus.PRESENT,
        SESSIONS[3][1]: (
            (AttendanceStatus.LATE if index in (7, 14) else AttendanceStatus.PRESENT)
            if trained
            else (AttendanceStatus.EXCUSED if index % 3 == 0 else AttendanceStatus.ABSENT)
        ),
        SESSIONS[4][1]: (
            AttendanceStatus.PRESENT if trained and index % 5 else AttendanceStatus.ABSENT
        ),
        SESSIONS[5][1]: AttendanceStatus.PRESENT if trained else AttendanceStatus.ABSENT,
    }


def demo_attendance(program, facilitator):
    sessions = {s.title: s for s in program.sessions.all()}
    enrollments = {
        e.participant.phone: e for e in program.enrollments.select_related("participant")
    }
    done = set(
        Attendance.objects.filter(session__program=program).values_list(
            "session_id", "participant_id"
        )
    )
    for index in range(1, len(PARTICIPANTS) + 1):
        enrollment = enrollments[demo_phone(index)]
        for title, status in demo_attendance_plan(index).items():
            session = sessions[title]
            if (session.pk, enrollment.participant_id) in done:
                continue
            attendance_mark(
                session=session,
                enrollment=enrollment,
                status=status,
                by=facilitator,
                # The roll as it was taken that day, so a report "as of" a date holds.
                at=timezone.make_aware(
                    dt.datetime.combine(session.date, session.end_time or dt.time(17))
                ),
            )


def demo_checklists(program, facilitator):
    if not ChecklistTemplate.objects.filter(code="tiktok-seller").exists():
        call_command("loaddata", "checklist_templates", verbosity=0)
    if StepProgress.objects.filter(track__enrollment__program=program).exists():
        return
    templates = {t.code: t for t in ChecklistTemplate.objects.filter(code__startswith="tiktok-")}
    steps = {code: list(current_steps(template)) for code, template in templates.items()}
    reasons = {
        (r.template.code, r.code): r
        for r in BlockerReason.objects.filter(template__in=templates.values()).select_related(
            "template"
        )
    }
    enrollments = {
        e.participant.phone: e for e in program.enrollments.select_related("participant")
    }
    for index in range(1, TRAINED + 1):
        enrollment = enrollments[demo_phone(index)]
        # Progress recorded during the week after the training.
        day = timezone.make_aware(TRAINING_DAY + dt.timedelta(days=index % 7))
        requirements = track_assign(
            enrollment=enrollment, template=templates["tiktok-persyaratan"], by=facilitator
        )
        for step in steps["tiktok-persyaratan"]:
            if step.key == "akun-aktif" and index in NO_TIKTOK:
                reason = reasons[("tiktok-persyaratan", STUCK[index][2])]
            elif step.key == "rekening" and index in NO_BANK_ACCOUNT:
                reason = reasons[("tiktok-persyaratan", "no_bank_account")]
            else:
                reason = None
            progress_mark(
                track=requirements,
                step=step,
                by=facilitator,
                at=day,
                reason=reason,
                state=StepState.BLOCKED if reason else StepState.DONE,
            )
        route = "tiktok-seller" if index in SELLERS else "tiktok-kreator"
        stuck = STUCK.get(index)
        track = track_assign(enrollment=enrollment, template=templates[route], by=facilitator)
        for step in steps[route]:
            if stuck and step.position == stuck[1]:
                progress_mark(
                    track=track,
                    step=step,
                    by=facilitator,
                    at=day,
                    state=StepState.BLOCKED,
                    reason=reasons[(route, stuck[2])],
                )
                break
            progress_mark(track=track, step=step, by=facilitator, at=day, state=StepState.DONE)
    for index, days, channel, (code, position), action, resolved in MENTORING:
        enrollment = enrollments[demo_phone(index)]
        step = steps[code][position - 1]
        MentoringContact.objects.create(
            enrollment=enrollment,
            step=step,
            track=Track.objects.get(enrollment=enrollment, template_id=step.template_id),
            date=TRAINING_DAY.date() + dt.timedelta(days=days),
            channel=channel,
            action=action,
            resolved=resolved,
            by=facilitator,
        )


def demo_survey(program, coordinator, facilitator):
    """The evaluation of 12 August 2023, answered by the trained group."""
    title = EVALUATION_TIKTOK["title"]
    survey = program.surveys.filter(title=title).first()
    if survey is None:
        survey = survey_from_definition(
            program=program, by=coordinator, definition=EVALUATION_TIKTOK
        )
        survey.opens_at = timezone.make_aware(dt.datetime(2023, 8, 12, 9, 0))
        survey.save(update_fields=["opens_at"])
    if survey.responses.exists():
        return
    installed, affiliate, video, useful, remarks = list(
        survey.questions.prefetch_related("choices").order_by("position")
    )
    yes_no = {q.pk: {c.value: c for c in q.choices.all()} for q in (installed, affiliate, video)}
    scale = {c.value: c for c in useful.choices.all()}
    completed = set(
        Track.objects.filter(
            enrollment__program=program,
            template__code__in=["tiktok-seller", "tiktok-kreator"],
            completed_at__isnull=False,
        ).values_list("enrollment__participant_id", flat=True)
    )
    enrollments = {
        e.participant.phone: e for e in program.enrollments.select_related("participant")
    }
    for index in range(1, TRAINED + 1):
        participant = enrollments[demo_phone(index)].participant
        response_save(
            survey=survey,
            participant=participant,
            by=facilitator,
            channel=ResponseChannel.ASSISTED,
            at=survey.opens_at + dt.timedelta(minutes=index),
            answers={
                installed: [yes_no[installed.pk]["no" if index in NO_TIKTOK else "yes"]],
                affiliate: [yes_no[affiliate.pk]["yes" if participant.pk in completed else "no"]],
                video: [yes_no[video.pk]["no" if index in NO_VIDEO else "yes"]],
                useful: [scale["5" if index % 3 else "4"]],
                remarks: DEMO_REMARKS.get(index, ""),
            },
        )


DEMO_REMARKS = {
    6: "Foto KTP selalu ditolak, mohon dibantu lagi.",
    9: "Sinyal di dusun kami lemah, unggah dokumen sering gagal.",
    14: "Pelatihannya jelas, ingin ada lanjutan cara membuat video yang menarik.",
}


def demo_indicators(program, coordinator):
    """Table 1 of the seed, computed from the data above, never typed in."""
    if program.indicators.exists():
        return
    survey = program.surveys.get(title=EVALUATION_TIKTOK["title"])
    questions = list(survey.questions.order_by("position"))
    training = program.sessions.get(phase=SessionPhase.TRAINING)

    def yes(question):
        return [question.choices.get(value="yes")]

    indicator_save(
        program=program,
        label="Peserta yang sudah menginstal aplikasi TikTok",
        success_phrase="peserta sudah menginstal aplikasi TikTok",
        failure_phrase="belum",
        source=SuccessSource.SURVEY_ANSWER,
        question=questions[0],
        success_choices=yes(questions[0]),
        population=Population.ANSWERED_SURVEY,
        population_survey=survey,
    )
    indicator_save(
        program=program,
        label="Peserta yang berhasil membuat akun TikTok Affiliate",
        success_phrase="peserta berhasil membuat akun TikTok Affiliate",
        failure_phrase="belum berhasil",
        source=SuccessSource.CHECKLIST_COMPLETE,
        templates=ChecklistTemplate.objects.filter(code__in=["tiktok-seller", "tiktok-kreator"]),
        population=Population.ATTENDED_SESSION,
        population_session=training,
        reason_source=ReasonSource.CHECKLIST,
    )
    indicator_save(
        program=program,
        label="Peserta yang bisa membuat konten video",
        success_phrase="peserta bisa membuat konten video di TikTok",
        failure_phrase="belum bisa",
        source=SuccessSource.SURVEY_ANSWER,
        question=questions[2],
        success_choices=yes(questions[2]),
        population=Population.ANSWERED_SURVEY,
        population_survey=survey,
    )


def demo_certificate_rule(program):
    """A certificate for whoever came to two sessions and finished a checklist the
    report counts; numbered like the seed's letters (001/KKN-23/VIII/2023). Left
    alone once set, so an edited rule survives loading the demo again."""
    if CertificateSettings.objects.filter(program=program).exists():
        return
    indicator = program.indicators.filter(source=SuccessSource.CHECKLIST_COMPLETE).first()
    certificate_settings_update(
        program=program,
        min_sessions=2,
        checklist=indicator.templates.first() if indicator else None,
        program_code="KKN-23",
    )
