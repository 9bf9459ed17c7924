"""The report's sections other than Table 1 as they stood at the end of a day,
read from the history tables (attendance events, progress events, response
times), so that a report "as of" a day counts nothing recorded after it."""

from collections import Counter, defaultdict

from django.db.models import Count, Q

from checklists.enums import StepState
from checklists.models import BlockerReason, MentoringContact, ProgressEvent, Track
from checklists.selectors import Funnel, FunnelStep, current_steps
from participants.models import Enrollment
from reports.indicators import _latest
from sessions.enums import ATTENDED, AttendanceStatus
from sessions.models import AttendanceEvent
from sessions.selectors import sessions_with_attendance


def enrolled_as_of(program, as_of):
    return Enrollment.objects.active().filter(program=program, enrolled_on__lte=as_of).count()


def sessions_as_of(program, as_of, before):
    """Sessions held by `as_of`, each with the marks as they were before `before`.

    Who was eligible depends on enrolment dates, not on when they were
    written, so it is taken from the current rows; each mark is the last one
    made before the cut-off (a later correction is not seen).
    """
    sessions = sessions_with_attendance(program.sessions.filter(date__lte=as_of))
    if not sessions:
        return sessions
    eligible = defaultdict(set)
    for participant, enrolled_on in (
        Enrollment.objects.active()
        .filter(program=program)
        .values_list("participant_id", "enrolled_on")
    ):
        for session in sessions:
            if enrolled_on <= session.date:
                eligible[session.pk].add(participant)
    last = _latest(
        ((session, participant), status)
        for session, participant, status in AttendanceEvent.objects.filter(
            session__in=[s.pk for s in sessions], at__lt=before
        )
        .order_by("at", "pk")
        .values_list("session_id", "participant_id", "status")
    )
    counts = defaultdict(Counter)
    for (session, participant), status in last.items():
        if status and participant in eligible[session]:
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


def funnel_as_of(template, program, before):
    """checklists.selectors.funnel over one program, from the progress history."""
    # Every track counts: when a track was assigned is not history (demo and
    # imported tracks are written after the fact); its steps' events are.
    tracks = Track.objects.filter(template=template, enrollment__program=program)
    totals = tracks.aggregate(
        tracks=Count("pk"), completed=Count("pk", filter=Q(completed_at__lt=before))
    )
    steps = list(current_steps([template.pk]))
    last = _latest(
        ((track, step), (state, reason))
        for track, step, state, reason in ProgressEvent.objects.filter(
            track__in=tracks, step__in=steps, at__lt=before
        )
        .order_by("at", "pk")
        .values_list("track_id", "step_id", "state", "reason_id")
    )
    reasons = {r.pk: r for r in BlockerReason.objects.filter(template=template)}
    by_step = {s.pk: FunnelStep(step=s) for s in steps}
    blocked = defaultdict(Counter)
    for (_track, step), (state, reason) in last.items():
        if state == StepState.NOT_STARTED:
            continue
        entry = by_step[step]
        entry.reached += 1
        if state == StepState.DONE:
            entry.done += 1
        elif state == StepState.NOT_APPLICABLE:
            entry.not_applicable += 1
        elif state == StepState.BLOCKED:
            entry.blocked += 1
            blocked[step][reason] += 1
    for step, counter in blocked.items():
        by_step[step].blocked_by_reason = [
            (reasons[reason], n)
            for reason, n in sorted(
                counter.items(), key=lambda kv: (-kv[1], reasons[kv[0]].position)
            )
            if reason in reasons
        ]
    return Funnel(
        template=template,
        tracks=totals["tracks"],
        completed=totals["completed"],
        steps=[by_step[s.pk] for s in steps],
    )


def mentoring_contacts_as_of(program, as_of):
    return MentoringContact.objects.filter(enrollment__program=program, date__lte=as_of)
