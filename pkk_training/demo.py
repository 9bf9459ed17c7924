"""The seed report's program as demo data, built idempotently.

All people here are invented; phone numbers and NIKs are well-formed but made up.
Later features (attendance, checklists, surveys) add their part of the demo here.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from checklists.enums import StepState
from checklists.models import (
    BlockerReason,
    ChecklistTemplate,
    MentoringContact,
    StepProgress,
    Track,
)
from checklists.services import current_steps, progress_mark, track_assign
from participants.enums import ConsentMethod, EnrollmentSource
from participants.models import Enrollment, Participant
from participants.services import enrollment_create, participant_create
from reports.enums import Population, ReasonSource, SuccessSource
from reports.services import indicator_save
from sessions.enums import AttendanceStatus, MembershipRole, ProgramStatus, SessionPhase
from sessions.models import (
    Attendance,
    Membership,
    Organization,
    OrganizationMembership,
    Program,
    TrainingSession,
)
from sessions.services import attendance_mark
from surveys.enums import ResponseChannel
from surveys.library import EVALUATION_TIKTOK
from surveys.services import response_save, survey_from_definition

ORGANIZATION_SLUG = "uin-raden-intan-kkn-23"
# Table 1 of the seed counts the participants of the hands-on training; 20 of
# the 30 make its 90 %, 45 %, 55 % and 75 % whole people (18, 9, 11, 15).
TRAINED = 20
PROGRAM_SLUG = "tiktok-affiliate-jaya-tinggi"
VENUE_GSG = "Gedung Serba Guna (GSG) Kampung Jaya Tinggi"

USERS = [
    # username, first name, last name, staff?, role in the program
    ("admin", "Admin", "Demo", True, None),
    ("koordinator", "Kartika", "S.", False, MembershipRole.COORDINATOR),
    ("fasilitator", "Vio", "Wahyu", False, MembershipRole.FACILITATOR),
]

# Invented names; dusun and RT/RW in the style of a Way Kanan kampung.
PARTICIPANTS = [
    ("Siti Aminah", "Dusun I", "001", "001"),
    ("Sri Wahyuni", "Dusun I", "001", "001"),
    ("Nur Hasanah", "Dusun I", "002", "001"),
    ("Rina Marlina", "Dusun I", "002", "001"),
    ("Yuliana Sari", "Dusun I", "003", "001"),
    ("Dewi Lestari", "Dusun I", "003", "001"),
    ("Ani Suryani", "Dusun II", "001", "002"),
    ("Eka Puspita", "Dusun II", "001", "002"),
    ("Fitri Handayani", "Dusun II", "002", "002"),
    ("Hartini", "Dusun II", "002", "002"),
    ("Indah Permatasari", "Dusun II", "003", "002"),
    ("Juwita Ningsih", "Dusun II", "003", "002"),
    ("Kurniasih", "Dusun III", "001", "003"),
    ("Lilis Suryati", "Dusun III", "001", "003"),
    ("Maryati", "Dusun III", "002", "003"),
    ("Nengsih", "Dusun III", "002", "003"),
    ("Oktaviani", "Dusun III", "003", "003"),
    ("Purwati", "Dusun III", "003", "003"),
    ("Rahmawati", "Dusun IV", "001", "004"),
    ("Sumiyati", "Dusun IV", "001", "004"),
    ("Tri Astuti", "Dusun IV", "002", "004"),
    ("Umi Kalsum", "Dusun IV", "002", "004"),
    ("Wartini", "Dusun IV", "003", "004"),
    ("Yeni Rohaeni", "Dusun IV", "003", "004"),
    ("Zubaidah", "Dusun V", "001", "005"),
    ("Aisyah Putri", "Dusun V", "001", "005"),
    ("Badriyah", "Dusun V", "002", "005"),
    ("Cahyani", "Dusun V", "002", "005"),
    ("Darsih", "Dusun V", "003", "005"),
    ("Erna Wati", "Dusun V", "003", "005"),
]

SESSIONS = [
    # phase, title, date, start, end, venue
    (
        SessionPhase.SURVEY,
        "Survei dan silaturahmi dengan aparat kampung",
        dt.date(2023, 7, 25),
        dt.time(9, 0),
        dt.time(11, 0),
        "Balai Kampung Jaya Tinggi",
    ),
    (
        SessionPhase.SOCIALISATION,
        "Sosialisasi: Pelatihan Ecoprint",
        dt.date(2023, 7, 29),
        dt.time(9, 0),
        dt.time(12, 0),
        VENUE_GSG,
    ),
    (
        SessionPhase.SOCIALISATION,
        "Sosialisasi: E-Commerce TikTok Affiliate",
        dt.date(2023, 8, 1),
        dt.time(13, 0),
        dt.time(15, 0),
        VENUE_GSG,
    ),
    (
        SessionPhase.TRAINING,
        "Pelatihan E-Commerce TikTok Affiliate",
        dt.date(2023, 8, 5),
        dt.time(9, 0),
        dt.time(13, 0),
        VENUE_GSG,
    ),
    (
        SessionPhase.MENTORING,
        "Pendampingan pembuatan akun TikTok Affiliate",
        dt.date(2023, 8, 8),
        dt.time(13, 0),
        dt.time(16, 0),
        VENUE_GSG,
    ),
    (
        SessionPhase.EVALUATION,
        "Evaluasi: tanya jawab dan survei keberhasilan",
        dt.date(2023, 8, 12),
        dt.time(9, 0),
        dt.time(11, 0),
        VENUE_GSG,
    ),
]


def demo_phone(index):
    """Well-formed Telkomsel-style numbers in a block no one is likely to own."""
    return f"+62812000{index:05d}"


def demo_birth_year(index):
    return 1970 + index % 25


def demo_nik(index):
    # 18 08 = Lampung, Way Kanan; day of birth + 40 marks a woman.
    day, month = 1 + index % 28, 1 + index % 12
    return f"180805{day + 40:02d}{month:02d}{demo_birth_year(index) % 100:02d}{index:04d}"


@dataclass
class DemoResult:
    created: bool
    passwords: dict = field(default_factory=dict)  # username → new password


@transaction.atomic
def demo_load(*, reset_passwords=False):
    """Build (or complete) the demo; running it again changes nothing."""
    organization, _ = Organization.objects.get_or_create(
        slug=ORGANIZATION_SLUG, defaults={"name": "UIN Raden Intan Lampung — KKN Kelompok 23"}
    )
    program, created = Program.objects.get_or_create(
        slug=PROGRAM_SLUG,
        defaults={
            "organization": organization,
            "name": "Pelatihan E-Commerce TikTok Affiliate",
            "description": (
                "Pelatihan bagi ibu-ibu PKK Kampung Jaya Tinggi untuk mendaftar sebagai kreator "
                "atau seller TikTok Affiliate. Persiapan sejak 23 Juli 2023; pelatihan praktik "
                "pada Sabtu, 5 Agustus 2023 di Gedung Serba Guna."
            ),
            "village": "Kampung Jaya Tinggi",
            "district": "Kecamatan Kasui",
            "regency": "Kabupaten Way Kanan",
            "province": "Lampung",
            "start_date": dt.date(2023, 7, 23),
            "end_date": dt.date(2023, 8, 15),
            "status": ProgramStatus.FINISHED,
        },
    )
    result = DemoResult(created=created)
    users = _demo_users(program, organization, result, reset_passwords)
    _demo_sessions(program, users)
    _demo_participants(program, organization, users["koordinator"])
    _demo_attendance(program, users["fasilitator"])
    _demo_checklists(program, users["fasilitator"])
    _demo_survey(program, users["koordinator"], users["fasilitator"])
    _demo_indicators(program, users["koordinator"])
    return result


def _demo_users(program, organization, result, reset_passwords):
    User = get_user_model()
    users = {}
    for username, first, last, staff, role in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": staff,
                "is_superuser": staff,
                "email": f"{username}@demo.invalid",
            },
        )
        if created or reset_passwords:
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save(update_fields=["password"])
            result.passwords[username] = password
        if role:
            Membership.objects.get_or_create(program=program, user=user, defaults={"role": role})
        users[username] = user
    OrganizationMembership.objects.get_or_create(
        organization=organization, user=users["koordinator"]
    )
    return users


def _demo_sessions(program, users):
    for phase, title, date, start, end, venue in SESSIONS:
        session, created = TrainingSession.objects.get_or_create(
            program=program,
            title=title,
            defaults={
                "phase": phase,
                "date": date,
                "start_time": start,
                "end_time": end,
                "venue": venue,
            },
        )
        if created:
            session.facilitators.set([users["koordinator"], users["fasilitator"]])


def _demo_participants(program, organization, recorder):
    known = {
        p.phone: p
        for p in Participant.objects.filter(
            organization=organization, phone__startswith="+62812000"
        )
    }
    enrolled = set(
        Enrollment.objects.filter(program=program).values_list("participant_id", flat=True)
    )
    for i, (name, dusun, rt, rw) in enumerate(PARTICIPANTS, start=1):
        participant = known.get(demo_phone(i))
        if participant is None:
            participant = participant_create(
                organization=organization,
                by=recorder,
                consent_method=ConsentMethod.PAPER,
                full_name=name,
                phone=demo_phone(i),
                nik=demo_nik(i) if i % 3 == 0 else "",
                birth_year=demo_birth_year(i),
                dusun=dusun,
                rt=rt,
                rw=rw,
                village="Kampung Jaya Tinggi",
            )
        if participant.pk not in enrolled:
            # Enrolled from the PKK member list before the socialisation sessions.
            enrollment_create(
                program=program,
                participant=participant,
                by=recorder,
                source=EnrollmentSource.IMPORT,
                enrolled_on=dt.date(2023, 7, 24),
            )


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


def _demo_attendance(program, facilitator):
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
            attendance_mark(session=session, enrollment=enrollment, status=status, by=facilitator)


# The trained group's signup tracks, chosen so that 9 of 20 (45 %) complete an
# affiliate track and 11 (55 %) do not, 8 of them stuck on the documents.
SELLERS = range(1, 13)  # the seller route needs no 2,000 followers
# participant index → (template code, step position where stuck, reason code)
STUCK = {
    **dict.fromkeys(range(6, 12), ("tiktok-seller", 2, "documents")),
    12: ("tiktok-seller", 1, "no_signal"),
    17: ("tiktok-kreator", 7, "documents"),
    18: ("tiktok-kreator", 7, "documents"),
    19: ("tiktok-kreator", 9, "waiting_approval"),
    20: ("tiktok-kreator", 1, "password_otp"),
}
NO_BANK_ACCOUNT = {12, 19, 20}
# Table 1: 18 of 20 (90 %) installed TikTok, 15 of 20 (75 %) can make a video.
NO_TIKTOK = {12, 20}
NO_VIDEO = {6, 8, 12, 19, 20}
MENTORING = [
    # index, days after the training, channel, (template, step position), what, resolved
    (
        6,
        2,
        "whatsapp",
        ("tiktok-seller", 2),
        "Memandu memotret ulang KTP dengan cahaya cukup; unggahan masih gagal karena foto buram.",
        False,
    ),
    (
        7,
        3,
        "visit",
        ("tiktok-seller", 2),
        "Kunjungan rumah: KTP ditolak karena rusak; disarankan mengurus KTP-el di kecamatan.",
        False,
    ),
    (
        3,
        1,
        "visit",
        ("tiktok-seller", 2),
        "Membantu mengunggah ulang KTP; verifikasi diterima.",
        True,
    ),
    (
        19,
        5,
        "phone",
        ("tiktok-kreator", 9),
        "Menelepon untuk cek status; permintaan masih menunggu persetujuan seller.",
        False,
    ),
]
TRAINING_DAY = dt.datetime(2023, 8, 5, 11, 0)


def _demo_checklists(program, facilitator):
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


def _demo_survey(program, coordinator, facilitator):
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


def _demo_indicators(program, coordinator):
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
        by=coordinator,
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
        by=coordinator,
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
        by=coordinator,
        label="Peserta yang bisa membuat konten video",
        success_phrase="peserta bisa membuat konten video di TikTok",
        failure_phrase="belum bisa",
        source=SuccessSource.SURVEY_ANSWER,
        question=questions[2],
        success_choices=yes(questions[2]),
        population=Population.ANSWERED_SURVEY,
        population_survey=survey,
    )
