"""Migration 0006: tracks left open with every required step done are
completed as of their last satisfied required step; nothing else changes."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps

from checklists import services
from checklists.models import ChecklistStep, StepProgress, Track
from tests.factories import TrackFactory, UserFactory

pytestmark = pytest.mark.django_db

repair = import_module("checklists.migrations.0006_complete_finished_tracks")


def at(day):
    return dt.datetime(2026, 11, day, 3, 0, tzinfo=dt.UTC)


def marked(track, states, *, user):
    """Each current step marked with its state on the given day, as ordered."""
    steps = list(services.current_steps(track.template))
    for step, (state, day) in zip(steps, states, strict=True):
        if state:
            services.progress_mark(track=track, step=step, state=state, by=user, at=at(day))
    return steps


def test_only_tracks_with_every_required_step_done_are_completed_as_of_the_last():
    user = UserFactory()
    left_open = TrackFactory()
    marked(left_open, [("done", 1), ("not_applicable", 3), ("done", 2)], user=user)
    optional = ChecklistStep.objects.create(
        template=left_open.template, position=4, title="Bagikan video", required=False
    )
    services.progress_mark(track=left_open, step=optional, state="done", by=user, at=at(9))
    unfinished = TrackFactory()
    marked(unfinished, [("done", 1), (None, 0), ("done", 3)], user=user)
    untouched = TrackFactory()
    completed = TrackFactory()
    marked(completed, [("done", 1), ("done", 1), ("done", 1)], user=user)
    archived_open = TrackFactory()
    *current, last = marked(archived_open, [("done", 4), ("done", 5), (None, 0)], user=user)
    last.archived_at = at(6)
    last.save()
    # The race's leftovers: every required step done, the track still open.
    Track.objects.filter(pk__in=[left_open.pk, archived_open.pk]).update(completed_at=None)
    before = list(StepProgress.objects.order_by("pk").values_list("pk", "state", "version"))

    repair.complete_finished_tracks(apps, None)

    found = dict(Track.objects.values_list("pk", "completed_at"))
    assert found == {
        left_open.pk: at(3),
        unfinished.pk: None,
        untouched.pk: None,
        completed.pk: at(1),
        archived_open.pk: at(5),
    }
    assert list(StepProgress.objects.order_by("pk").values_list("pk", "state", "version")) == before
