"""Queries compiled once (pkk_training.prepared) answer what the queryset answers."""

import threading

import pytest
from django.db import connection, connections
from django.db.models import DateTimeField, IntegerField, UUIDField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checklists.models import Track
from pkk_training.prepared import PreparedQuery, PreparedUpdate
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db

COLUMNS = ("pk", "completed_at", "enrollment__participant_id", "template__steps__required")


def tracks_of(P, kind):
    return (
        Track.objects.filter(
            enrollment__participant_id=P("participant", UUIDField()),
            template__steps__position__lte=P("position", IntegerField()),
        )
        .order_by("template__steps__position")
        .values_list(*COLUMNS)
    )


def test_rows_are_converted_as_the_querysets_are_and_found_in_one_query():
    track = TrackFactory(completed_at=timezone.now())
    participant = track.enrollment.participant_id
    prepared = PreparedQuery(tracks_of)

    with CaptureQueriesContext(connection) as queries:
        rows = prepared.rows(participant=participant, position=2)

    expected = list(
        Track.objects.filter(
            enrollment__participant_id=participant, template__steps__position__lte=2
        )
        .order_by("template__steps__position")
        .values_list(*COLUMNS)
    )
    assert len(expected) == 2
    assert rows == expected
    assert len(queries) == 1


@pytest.mark.django_db(transaction=True)  # the other thread reads what this one wrote
def test_each_thread_compiles_once_and_new_values_give_new_rows():
    first, second = TrackFactory(), TrackFactory()
    prepared = PreparedQuery(tracks_of)

    mine = [
        prepared.rows(participant=track.enrollment.participant_id, position=1)[0][0]
        for track in (first, second, first)
    ]
    theirs = []

    def other_thread():
        try:
            theirs.append(prepared.rows(participant=second.enrollment.participant_id, position=1))
            theirs.append(list(prepared._local.compiled))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()

    assert mine == [first.pk, second.pk, first.pk]
    assert theirs[0][0][0] == second.pk
    assert theirs[1] == list(prepared._local.compiled) == [("default", None)]


def test_kinds_compile_apart():
    track = TrackFactory()
    prepared = PreparedQuery(
        lambda P, kind: Track.objects.filter(pk=P("track", IntegerField())).values_list(kind)
    )

    found = [prepared.rows(kind=kind, track=track.pk) for kind in ("pk", "template_id", "pk")]

    assert found == [[(track.pk,)], [(track.template_id,)], [(track.pk,)]]


@pytest.mark.parametrize("junk", [2**63, -(2**63) - 1, 10**30])
def test_an_id_no_column_can_hold_finds_nothing_and_changes_nothing(junk):
    track = TrackFactory()
    read = PreparedQuery(
        lambda P, kind: Track.objects.filter(pk=P("track", IntegerField())).values_list("pk")
    )
    write = PreparedUpdate(
        lambda P, kind: (
            Track.objects.filter(pk=P("track", IntegerField())),
            {"completed_at": P("now", DateTimeField())},
        )
    )

    assert read.rows(track=junk) == []
    assert write.update(track=junk, now=timezone.now()) == 0
    track.refresh_from_db()
    assert track.completed_at is None


def test_an_update_changes_the_rows_it_names_and_counts_them():
    track, other = TrackFactory(), TrackFactory()
    now = timezone.now()
    write = PreparedUpdate(
        lambda P, kind: (
            Track.objects.filter(pk=P("track", IntegerField())),
            {"completed_at": P("now", DateTimeField())},
        )
    )

    changed = write.update(track=track.pk, now=now)

    track.refresh_from_db()
    other.refresh_from_db()
    assert (changed, track.completed_at, other.completed_at) == (1, now, None)
