"""Reading counts as of a day: the cut-off moment and the last value before it."""

import datetime as dt
from functools import cached_property

from django.db.models import Exists, OuterRef
from django.utils import timezone

from checklists.models import ProgressEvent
from participants.models import Enrollment
from sessions.models import AttendanceEvent


def cutoff(as_of):
    """The first moment after the day `as_of` (local time); None stays None."""
    if as_of is None:
        return None
    return timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))


def latest(events):
    """{key: value} keeping the last value of each key; `events` come oldest first."""
    last = {}
    for key, value in events:
        last[key] = value
    return last


class History:
    """One program's attendance and progress events before `before`, oldest
    first: each kind read once (one query) for every section of a report as of
    a day, which then keeps the rows it needs."""

    def __init__(self, program, before):
        self.program, self.before = program, before

    @cached_property
    def attendance(self):
        """[(session, participant, status, superseded, eligible)]; eligible: actively
        enrolled by the session's day."""
        eligible = Enrollment.objects.active().filter(
            program=self.program,
            participant=OuterRef("participant"),
            enrolled_on__lte=OuterRef("session__date"),
        )
        return list(
            AttendanceEvent.objects.filter(session__program=self.program, at__lt=self.before)
            .annotate(eligible=Exists(eligible))
            .order_by("at", "pk")
            .values_list("session_id", "participant_id", "status", "superseded", "eligible")
        )

    @cached_property
    def progress(self):
        """[(track, template, participant, step, state, reason id, reason label)]."""
        return list(
            ProgressEvent.objects.filter(
                track__enrollment__program=self.program, at__lt=self.before
            )
            .order_by("at", "pk")
            .values_list(
                "track_id",
                "track__template_id",
                "track__enrollment__participant_id",
                "step_id",
                "state",
                "reason_id",
                "reason__label",
            )
        )
