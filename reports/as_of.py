"""The report's sections other than Table 1 as they stood at the end of a day,
read from the history tables (attendance events, progress events, response
times), so that a report "as of" a day counts nothing recorded after it."""

from collections import Counter, defaultdict

from django.db.models import Exists, OuterRef

from checklists.enums import StepState
from checklists.models import ProgressEvent
from checklists.selectors import build_funnels, template_parts
from participants.models import Enrollment
from reports.indicators import latest
from sessions.enums import ATTENDED, AttendanceStatus
from sessions.models import AttendanceEvent
from sessions.selectors import sessions_with_attendance


def sessions_as_of(program, as_of, before):
    """Sessions held by `as_of`, each with the marks as they were before `before`.

    Who was eligible depends on enrolment dates, not on when they were
    written, so it is taken from the current rows; each mark is the last one
    made before the cut-off (a later correction is not seen).
    """
    sessions = sessions_with_attendance(program.sessions.filter(date__lte=as_of))
    if not sessions:
        return sessions
    eligible = Enrollment.objects.active().filter(
        program=program,
        participant=OuterRef("participant"),
        enrolled_on__lte=OuterRef("session__date"),
    )
    last = latest(
        ((session, participant), status)
        for session, participant, status in AttendanceEvent.objects.filter(
            Exists(eligible), session__in=[s.pk for s in sessions], at__lt=before
        )
        .order_by("at", "pk")
        .values_list("session_id", "participant_id", "status")
    )
    counts = defaultdict(Counter)
    for (session, _participant), status in last.items():
        if status:
            counts[session][status] += 1
    for session in sessions:
        for status in AttendanceStatus.values:
            setattr(session, f"n_{status}", counts[session.pk][status])
        session.n_attended = sum(counts[session.pk][status] for status in ATTENDED)
        marked = sum(counts[session.pk].values())
        session.n_unmarked = session.n_eligible - marked
        session.roll_taken = marked > 0
        session.rate = session.n_attended / session.n_eligible if session.roll_taken else None
    return sessions


def funnels_as_of(templates, program, before, *, totals):
    """checklists.selectors.funnels over one program, from the progress history."""
    # Every track counts: when a track was assigned is not history (demo and
    # imported tracks are written after the fact); its steps' events are.
    parts = template_parts(templates)
    steps = [s for t in templates for s in parts[t.pk].steps]
    last = latest(
        ((track, step), (template, state, reason))
        for track, template, step, state, reason in ProgressEvent.objects.filter(
            track__template__in=templates,
            track__enrollment__program=program,
            step__in=steps,
            at__lt=before,
        )
        .order_by("at", "pk")
        .values_list("track_id", "track__template_id", "step_id", "state", "reason_id")
    )
    counts = Counter(
        (template, step, state, reason)
        for (_track, step), (template, state, reason) in last.items()
        if state != StepState.NOT_STARTED
    )
    return build_funnels(templates, parts, [(*key, n) for key, n in counts.items()], totals)
