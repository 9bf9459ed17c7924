"""The PostgreSQL backend's health check (pkk_training/postgresql): no query
while the kept connection is well, Django's full check when it may not be."""

import select
import time

import pytest
from django.db import connection, transaction

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
    pytest.mark.django_db(transaction=True),  # an idle connection, outside any transaction
]


@pytest.fixture
def sent(monkeypatch):
    """The statements sent on Django's connection, as a list."""
    connection.ensure_connection()
    statements = []
    cursor = connection.connection.cursor

    def recording_cursor(*args, **kwargs):
        made = cursor(*args, **kwargs)
        execute = made.execute

        def recording_execute(query, *rest, **options):
            statements.append(str(query))
            return execute(query, *rest, **options)

        made.execute = recording_execute
        return made

    monkeypatch.setattr(connection.connection, "cursor", recording_cursor)
    return statements


def wait_readable(raw, seconds=5):
    deadline = time.monotonic() + seconds
    while not select.select([raw.fileno()], [], [], 0.05)[0]:
        assert time.monotonic() < deadline, "the server sent nothing"


def test_an_idle_connection_is_usable_without_a_query(sent):
    assert connection.health_check_enabled is True

    assert connection.is_usable() is True
    assert sent == []


def test_a_connection_the_server_ended_is_replaced_at_the_next_request(other_connection):
    connection.ensure_connection()
    ended = connection.connection.info.backend_pid
    other_connection.execute("SELECT pg_terminate_backend(%s)", [ended])
    wait_readable(connection.connection)

    assert connection.is_usable() is False
    # What Django does between requests, then at the next one's first query.
    connection.close_if_unusable_or_obsolete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (now,) = cursor.fetchone()
    assert now != ended


def test_something_waiting_on_the_socket_gets_the_full_check(sent, other_connection):
    # A notification is waiting, not a goodbye: the query says the line is well.
    with connection.cursor() as cursor:
        cursor.execute("LISTEN pkk_health_probe")
    other_connection.execute("NOTIFY pkk_health_probe")
    wait_readable(connection.connection)
    sent.clear()

    assert connection.is_usable() is True
    assert sent == ["SELECT 1"]


def test_after_an_error_the_full_check_runs(sent):
    connection.errors_occurred = True

    assert connection.is_usable() is True
    assert sent == ["SELECT 1"]


def test_inside_a_transaction_the_full_check_runs(sent):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 2")
        sent.clear()

        assert connection.is_usable() is True
        assert sent == ["SELECT 1"]
