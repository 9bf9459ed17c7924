"""Queries compiled once (pkk_training.prepared) answer what the queryset answers."""

import threading
import uuid

import pytest
from django.db import connection, connections, transaction
from django.db.models import CharField, DateTimeField, IntegerField, UUIDField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checklists.models import StepProgress, Track
from pkk_training.prepared import PreparedInsert, PreparedQuery, PreparedUpdate, row_lock
from tests.factories import TrackFactory, UserFactory

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


def progress_insert(**conflict):
    return PreparedInsert(
        lambda P, kind: (
            StepProgress(
                track_id=P("track", IntegerField()),
                step_id=P("step", IntegerField()),
                state=P("state", CharField()),
                reason_id=None,
                note="",
                by_id=P("by", IntegerField()),
                at=P("at", DateTimeField()),
                version=1,
                last_mark_id=P("mark_id", UUIDField()),
            ),
            conflict,
        )
    )


def test_an_insert_writes_the_values_it_is_given_as_the_model_would():
    track, user = TrackFactory(), UserFactory()
    step = track.template.steps.first()
    at, mark_id = timezone.now(), uuid.uuid4()

    written = progress_insert().insert(
        track=track.pk, step=step.pk, state="done", by=user.pk, at=at, mark_id=mark_id
    )

    row = StepProgress.objects.values_list(
        "track", "step", "state", "reason", "by", "at", "version", "last_mark_id"
    ).get()
    assert (written, row) == (1, (track.pk, step.pk, "done", None, user.pk, at, 1, mark_id))


def test_an_insert_on_a_taken_row_is_ignored_or_updates_it_as_asked():
    track, user = TrackFactory(), UserFactory()
    step = track.template.steps.first()
    first, second = uuid.uuid4(), uuid.uuid4()
    values = {"track": track.pk, "step": step.pk, "by": user.pk, "at": timezone.now()}
    progress_insert().insert(state="done", mark_id=first, **values)

    ignored = progress_insert(ignore_conflicts=True).insert(
        state="not_applicable", mark_id=second, **values
    )
    kept = StepProgress.objects.values_list("state", "last_mark_id").get()
    updated = progress_insert(
        update_conflicts=True,
        unique_fields=["track", "step"],
        update_fields=["state", "last_mark_id"],
    ).insert(state="not_applicable", mark_id=second, **values)

    assert (ignored, kept) == (0, ("done", first))
    assert (updated, StepProgress.objects.values_list("state", "last_mark_id").get()) == (
        1,
        ("not_applicable", second),
    )


def server_prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares on the server")
def test_postgresql_plans_a_prepared_statement_once_and_no_other():
    track = TrackFactory()
    read = PreparedQuery(
        lambda P, kind: Track.objects.filter(pk=P("track", IntegerField())).values_list("pk")
    )
    before = server_prepared_statements()

    found = [read.rows(track=track.pk), read.rows(track=track.pk + 1)]
    list(Track.objects.filter(pk=track.pk))  # an ordinary query: not prepared

    prepared = [s for s in server_prepared_statements() if s not in before]
    assert found == [[(track.pk,)], []]
    assert len(prepared) == 1
    assert '"checklists_track"."id" = ($1)' in prepared[0]
    # Counting towards preparing stays off for every other statement.
    assert connection.connection.prepare_threshold is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares on the server")
def test_with_server_prepares_turned_off_nothing_is_prepared_on_the_server(settings):
    settings.DB_SERVER_PREPARE = False  # what DJANGO_DB_SERVER_PREPARE=0 gives
    track = TrackFactory()
    read = PreparedQuery(
        lambda P, kind: Track.objects.filter(pk=P("track", IntegerField())).values_list("pk")
    )
    before = server_prepared_statements()

    found = read.rows(track=track.pk)

    assert found == [(track.pk,)]
    assert server_prepared_statements() == before


def test_a_model_that_stamps_its_own_time_cannot_be_a_prepared_insert():
    track = TrackFactory()  # assigned_at is auto_now_add: compiled once, every row would keep it
    insert = PreparedInsert(
        lambda P, kind: (
            Track(enrollment_id=P("enrollment", IntegerField()), template_id=track.template_id),
            {},
        )
    )

    with pytest.raises(ValueError, match=r"checklists.Track stamps \['assigned_at'\] itself"):
        insert.insert(enrollment=track.enrollment_id)


def test_a_row_lock_reads_the_row_by_its_bigint_id():
    track = TrackFactory()
    lock = row_lock(Track)

    assert lock.rows(pk=track.pk) == [(track.pk,)]
    assert lock.rows(pk=2**40) == []  # a bigint: bound, not dropped as out of range


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_row_lock_holds_the_row_until_the_transaction_ends(other_connection):
    import psycopg

    track = TrackFactory()
    take = "SELECT id FROM checklists_track WHERE id = %s FOR UPDATE NOWAIT"
    with transaction.atomic():
        row_lock(Track).rows(pk=track.pk)
        with pytest.raises(psycopg.errors.LockNotAvailable):
            other_connection.execute(take, [track.pk])

    assert other_connection.execute(take, [track.pk]).fetchall() == [(track.pk,)]
