"""A report as of a day reads each kind of event once for all its sections:
each section still keeps only the events it counts."""

import datetime as dt

from django.utils import timezone

from participants.services import enrollment_update
from reports import selectors
from reports.enums import SuccessSource
from sessions.services import attendance_mark
from tests.factories import program_of_size


def _attendance(context):
    return [(s.n_attended, s.n_eligible) for s in context["sessions"]]


def _superseded_tap(sized):
    """An older tap that arrives after the newer one: recorded, not applied."""
    attendance_mark(
        session=sized.session,
        enrollment=sized.enrollments[0],
        status="absent",
        by=sized.facilitator,
        tapped_at=timezone.now() - dt.timedelta(hours=1),
    )


def test_as_of_attendance_leaves_out_a_withdrawn_participants_marks(db):
    sized = program_of_size(2)
    enrollment_update(enrollment=sized.enrollments[1], status="withdrawn")

    as_of = selectors.program_report(sized.program, as_of=timezone.localdate())
    now = selectors.program_report(sized.program)

    assert (_attendance(as_of), _attendance(now)) == ([(1, 1)], [(1, 1)])


def test_as_of_table_1_ignores_a_superseded_tap(db):
    sized = program_of_size(1)
    _superseded_tap(sized)

    results = selectors.program_report(sized.program, as_of=timezone.localdate())["indicators"]

    assert [
        (r.numerator, r.denominator)
        for r in results
        if r.indicator.source == SuccessSource.ATTENDED_MIN
    ] == [(1, 1)]


def test_as_of_session_attendance_ignores_a_superseded_tap(db):
    """The session's rate as of today is the roll as it stands: the older tap
    that arrived late changed nothing, so it counts for nothing."""
    sized = program_of_size(1)
    _superseded_tap(sized)

    as_of = selectors.program_report(sized.program, as_of=timezone.localdate())
    now = selectors.program_report(sized.program)

    assert (_attendance(as_of), _attendance(now)) == ([(1, 1)], [(1, 1)])
