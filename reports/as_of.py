"""The report's sections other than Table 1 as they stood at the end of a day,
read from the history tables (attendance events, progress events, response
times), so that a report "as of" a day counts nothing recorded after it."""

from collections import Counter, defaultdict

from checklists.enums import StepState
from checklists.selectors import build_funnels, template_parts
from reports.indicators import latest
from sessions.enums import ATTENDED, AttendanceStatus
from sessions.selectors import sessions_with_attendance


def sessions_as_of(program, as_of, history):
    """Sessions held by `as_of`, each with the marks as they were before the cut-off
    (`history`: the program's History up to it).

    Who was eligible depends on enrolment dates, not on when they were
    written, so it is taken from the current rows; each mark is the last one
    applied before the cut-off (a later correction is not seen; a superseded
    tap, older than the one it arrived after, never was the row's state).
    """
    sessions = sessions_with_attendance(program.sessions.filter(date__lte=as_of))
    if not sessions:
        return sessions
    held = {s.pk for s in sessions}
    last = latest(
        ((session, participant), status)
        for session, participant, status, superseded, eligible in history.attendance
        if eligible and not superseded and session in held
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


def funnels_as_of(templates, history, *, totals, parts=None):
    """checklists.selectors.funnels over one program, from its progress `history`."""
    # Every track counts: when a track was assigned is not history (demo and
    # imported tracks are written after the fact); its steps' events are.
    if parts is None:
        parts = template_parts(templates)
    steps = [s for t in templates for s in parts[t.pk].steps]
    current = {s.pk for s in steps}
    last = latest(
        ((track, step), (template, state, reason))
        for track, template, _person, step, state, reason, _label in history.progress
        if step in current
    )
    counts = Counter(
        (template, step, state, reason)
        for (_track, step), (template, state, reason) in last.items()
        if state != StepState.NOT_STARTED
    )
    return build_funnels(templates, parts, [(*key, n) for key, n in counts.items()], totals)
