import pytest

from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    ProgramFactory,
    UserFactory,
)


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
