"""Reading counts as of a day: the cut-off moment and the last value before it."""

import datetime as dt

from django.utils import timezone


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
