import pytest
from django.test import override_settings

from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    ProgramFactory,
    UserFactory,
)


@pytest.fixture(autouse=True, scope="session")
def _media_in_tmp(tmp_path_factory):
    # Uploads and generated files never land in the working tree.
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture
def other_connection(transactional_db):
    """A second raw connection to the test database, in autocommit: another
    client, for tests of locks and of what one connection sees of another."""
    from django.db import connection

    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    yield raw
    raw.close()


@pytest.fixture
def program(db):
    return ProgramFactory()


@pytest.fixture
def facilitator(program):
    return MembershipFactory(program=program, role="facilitator").user


@pytest.fixture
def coordinator(program):
    return MembershipFactory(program=program, role="coordinator").user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-user", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    """A facilitator of a program of another organization."""
    return MembershipFactory(role="facilitator").user


@pytest.fixture
def enrollment(program):
    return EnrollmentFactory(program=program)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@pytest.fixture
def assert_max_data_queries():
    """Like django_assert_max_num_queries, not counting BEGIN/COMMIT/SAVEPOINT.

    SQLite's `BEGIN IMMEDIATE` and `COMMIT` are statements Django runs
    itself, while PostgreSQL's travel as driver calls: counting only the
    statements that read or write data gives one budget for both.
    """
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def check(limit):
        with CaptureQueriesContext(connection) as context:
            yield context
        data = [
            q["sql"]
            for q in context.captured_queries
            if not q["sql"].startswith(TRANSACTION_CONTROL)
        ]
        assert len(data) <= limit, "\n".join([f"{len(data)} queries > {limit}:", *data])

    return check


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached lists (e.g. a template's blocker reasons) never leak between tests."""
    from django.core.cache import cache

    from checklists import selectors

    cache.clear()
    selectors._active_reasons.cache_clear()  # what each process keeps beside the cache


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: an earlier request may have
    switched this thread to English."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(params=[1, 3], ids=["1-participant", "3-participants"])
def sized_program(request, db):
    """tests.factories.program_of_size at 1 and at 3: a list page's query count
    must be the same at both (a count that grows is an N+1)."""
    from tests.factories import program_of_size

    return program_of_size(request.param)
