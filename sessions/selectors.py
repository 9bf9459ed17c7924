from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from participants.enums import EnrollmentStatus
from participants.models import Enrollment
from pkk_training.prepared import PreparedQuery
from programs.permissions import role_expression
from programs.selectors import programs_visible_to
from sessions.enums import ATTENDED, AttendanceStatus, SessionPhase
from sessions.models import Attendance, AttendanceEvent, TrainingSession


def sessions_visible_to(user):
    """Training sessions of the user's programs, annotated with the user's `user_role`."""
    sessions = TrainingSession.objects.select_related("program__organization")
    if not user.is_authenticated or not user.is_active:
        return sessions.none()
    return sessions.annotate(user_role=role_expression(user, "program__")).filter(
        user_role__isnull=False
    )


def sessions_today(user):
    """Today's sessions in the user's programs, in the day's order."""
    return (
        sessions_visible_to(user)
        .filter(date=timezone.localdate())
        .order_by("start_time", "program__name", "pk")
    )


def home_programs(user):
    # Counted in subqueries: two joined COUNTs would multiply rows
    # (participants × sessions) before DISTINCT takes them apart again.
    active = Enrollment.objects.active().filter(program=OuterRef("pk"))
    sessions = TrainingSession.objects.filter(program=OuterRef("pk"))
    return programs_visible_to(user).annotate(
        participant_count=_count(active), session_count=_count(sessions)
    )


def _count(queryset, group="program"):
    """COUNT(*) of a correlated subquery, 0 when it finds nothing."""
    return Coalesce(
        Subquery(queryset.order_by().values(group).annotate(n=Count("pk")).values("n")),
        0,
    )


def sessions_by_phase(sessions):
    """[(phase label, [sessions…]), …] in the method's order, empty phases left out."""
    groups = []
    for phase in SessionPhase:
        in_phase = [s for s in sessions if s.phase == phase]
        if in_phase:
            groups.append((phase.label, in_phase))
    return groups


@dataclass
class RollRow:
    enrollment: object
    participant: object
    attendance: object  # Attendance or None when not marked
    eligible: bool  # enrolled on or before the session's day

    @property
    def status(self):
        return self.attendance.status if self.attendance else ""


@dataclass
class RollCall:
    rows: list
    eligible: int
    attended: int

    @property
    def late(self):
        """Listed but enrolled after the session's day."""
        return len(self.rows) - self.eligible


def roll_call(session):
    """Everyone actively enrolled in the session's program, with their mark; two queries."""
    enrollments = (
        Enrollment.objects.active()
        .filter(program_id=session.program_id)
        .select_related("participant")
        .order_by("participant__full_name", "participant_id")
    )
    marks = {
        a.participant_id: a
        for a in Attendance.objects.filter(session=session).select_related("marked_by")
    }
    rows = [
        RollRow(
            enrollment=e,
            participant=e.participant,
            attendance=marks.get(e.participant_id),
            eligible=e.enrolled_on <= session.date,
        )
        for e in enrollments
    ]
    return RollCall(
        rows=rows,
        eligible=sum(1 for r in rows if r.eligible),
        attended=sum(1 for r in rows if r.eligible and r.status in ATTENDED),
    )


@dataclass(slots=True)
class RollLine:
    """One row of the roll page: only what the row shows, as plain values."""

    participant_id: object
    full_name: str
    phone: str
    enrolled_on: object
    eligible: bool  # enrolled on or before the session's day
    status: str  # "" when not marked
    marked_at: object = None
    marked_by: str = ""  # first name, else username


def roll_lines(session):
    """The roll page's rows (RollLine) and counts; two queries, values only,
    compiled once (pkk_training.prepared).

    The same people, order and counts as roll_call, without building models:
    at 500 participants the objects cost more than the page's budget.
    """
    enrollments = _ROLL_ENROLLMENTS.rows(program=session.program_id)
    marks = {
        participant_id: (status, marked_at, first_name or username or "")
        for participant_id, status, marked_at, first_name, username in _ROLL_MARKS.rows(
            session=session.pk
        )
    }
    day, unmarked = session.date, ("", None, "")
    rows = [
        RollLine(pk, name, phone, enrolled_on, enrolled_on <= day, *marks.get(pk, unmarked))
        for pk, name, phone, enrolled_on in enrollments
    ]
    return RollCall(
        rows=rows,
        eligible=sum(1 for r in rows if r.eligible),
        attended=sum(1 for r in rows if r.eligible and r.status in ATTENDED),
    )


_ROLL_ENROLLMENTS = PreparedQuery(
    lambda P, _kind: (
        Enrollment.objects.active()
        .filter(program_id=P("program", IntegerField()))
        .order_by("participant__full_name", "participant_id")
        .values_list(
            "participant_id", "participant__full_name", "participant__phone", "enrolled_on"
        )
    )
)
_ROLL_MARKS = PreparedQuery(
    lambda P, _kind: (
        Attendance.objects.filter(session_id=P("session", IntegerField()))
        .order_by()
        .values_list(
            "participant_id", "status", "marked_at", "marked_by__first_name", "marked_by__username"
        )
    )
)


def roll_row(session, enrollment, attendance):
    """One RollLine from the models at hand (a mark's answer): no query."""
    by = attendance.marked_by if attendance else None
    return RollLine(
        participant_id=enrollment.participant_id,
        full_name=enrollment.participant.full_name,
        phone=enrollment.participant.phone,
        enrolled_on=enrollment.enrolled_on,
        eligible=enrollment.enrolled_on <= session.date,
        status=attendance.status if attendance else "",
        marked_at=attendance.marked_at if attendance else None,
        marked_by=(by.first_name or by.username) if by else "",
    )


def attendance_history(session):
    return session.attendance_events.select_related("participant", "by").order_by("-at", "-pk")


@dataclass(frozen=True)
class Disagreement:
    """A tap that lost to a newer tap on the same row (e.g. two phones offline)."""

    full_name: str
    status: str  # "" when the tap cleared the mark
    by: str  # first name, else username; "" when her account is gone
    tapped_at: object
    current_status: str  # what the row holds now ("" when not marked)

    @property
    def status_label(self):
        return AttendanceStatus(self.status).label if self.status else ""

    @property
    def current_label(self):
        return AttendanceStatus(self.current_status).label if self.current_status else ""


def attendance_disagreements(session):
    """The session's Disagreements, by name, oldest tap first; one query, compiled
    once (pkk_training.prepared): the roll asks on every view, and building
    the query cost more than answering it, usually with no row."""
    return [
        Disagreement(name, status, first_name or username or "", tapped_at, current)
        for name, status, first_name, username, tapped_at, current in _DISAGREEMENTS.rows(
            session=session.pk
        )
    ]


def _disagreements_query(P, _kind):
    current = Attendance.objects.filter(
        session=OuterRef("session"), participant=OuterRef("participant")
    ).values("status")[:1]
    return (
        AttendanceEvent.objects.filter(session_id=P("session", IntegerField()), superseded=True)
        .annotate(current_status=Coalesce(Subquery(current), Value("")))
        .order_by("participant__full_name", "tapped_at", "pk")
        .values_list(
            "participant__full_name",
            "status",
            "by__first_name",
            "by__username",
            "tapped_at",
            "current_status",
        )
    )


_DISAGREEMENTS = PreparedQuery(_disagreements_query)


def _eligible_enrollments(program_ref, date_ref, prefix=""):
    return {
        f"{prefix}program": OuterRef(program_ref),
        f"{prefix}status": EnrollmentStatus.ACTIVE,
        f"{prefix}enrolled_on__lte": OuterRef(date_ref),
    }


def session_attendance_summary(program):
    """Per session: eligible participants, counts by status and the attendance rate.

    One query whatever the number of participants. Only participants enrolled
    by the session's day (and not withdrawn) count, in the numerator and the
    denominator alike.
    """
    return sessions_with_attendance(program.sessions.all())


def sessions_with_attendance(sessions):
    """session_attendance_summary for any set of sessions, e.g. many programs' at once."""
    eligible = Enrollment.objects.filter(**_eligible_enrollments("program", "date"))
    marks = Attendance.objects.filter(
        session=OuterRef("pk"),
        **_eligible_enrollments("program", "date", prefix="participant__enrollments__"),
    )
    counts = {
        f"n_{status}": _count(marks.filter(status=status), group="session")
        for status in AttendanceStatus.values
    }
    sessions = list(
        sessions.annotate(n_eligible=_count(eligible, group="program"), **counts).order_by(
            "date", "start_time", "pk"
        )
    )
    for session in sessions:
        session.n_attended = session.n_present + session.n_late
        session.n_unmarked = session.n_eligible - sum(
            getattr(session, f"n_{status}") for status in AttendanceStatus.values
        )
        # No mark at all: the roll was not taken (e.g. a meeting with village
        # officials), which is not the same as 0 % attendance.
        session.roll_taken = session.n_unmarked < session.n_eligible
        session.rate = session.n_attended / session.n_eligible if session.roll_taken else None
    return sessions


def participant_attendance(program):
    """Per active enrollment: sessions attended and sessions held since enrolling."""
    attended = Attendance.objects.filter(
        participant=OuterRef("participant"),
        session__program=OuterRef("program"),
        status__in=ATTENDED,
    )
    held = TrainingSession.objects.filter(
        program=OuterRef("program"), date__gte=OuterRef("enrolled_on")
    )
    return (
        Enrollment.objects.active()
        .filter(program=program)
        .select_related("participant", "program")
        .annotate(
            sessions_attended=_count(attended, group="participant"),
            sessions_held=_count(held, group="program"),
        )
        .order_by("participant__full_name", "participant_id")
    )


def participant_sessions(enrollment):
    """The program's sessions with this participant's status (None: not marked)."""
    status = Attendance.objects.filter(
        session=OuterRef("pk"), participant_id=enrollment.participant_id
    ).values("status")[:1]
    sessions = list(
        TrainingSession.objects.filter(program_id=enrollment.program_id)
        .annotate(participant_status=Subquery(status))
        .order_by("date", "start_time", "pk")
    )
    labels = dict(AttendanceStatus.choices)
    for session in sessions:
        session.eligible = enrollment.enrolled_on <= session.date
        session.status_label = labels.get(session.participant_status)
    return sessions
