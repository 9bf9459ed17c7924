"""Finding 3: a locked-out account is unlocked by an admin or by a coordinator
of its organization, never by anyone else, and every unlock is logged."""

import pytest
from axes.models import AccessAttempt
from django.contrib.messages import get_messages
from django.urls import reverse

from programs.models import AuditEvent
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganizationMembershipFactory,
)

LOGIN = "/accounts/login/"


def lock_out(client, username, ip="10.0.0.1"):
    """The brute force: wrong passwords until django-axes refuses even the right one."""
    for i in range(5):
        client.post(LOGIN, {"username": username, "password": f"salah{i}"}, REMOTE_ADDR=ip)
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)


@pytest.fixture
def locked(client, program):
    member = MembershipFactory(program=program, role="facilitator", user__username="siti")
    assert lock_out(client, "siti").status_code == 429
    client.logout()
    return member.user


def page_url(program):
    return reverse("organization_locked_accounts", args=[program.organization.slug])


def unlock_url(program, user):
    return reverse("account_unlock", args=[program.organization.slug, user.pk])


def test_a_coordinator_unlocks_a_facilitator_of_her_program(
    client, login, coordinator, locked, program
):
    page = login(coordinator).get(page_url(program))
    assert [a.username for a in page.context["accounts"]] == ["siti"]
    assert 'data-locked="siti"' in page.content.decode()

    response = client.post(unlock_url(program, locked))

    assert response.url == page_url(program)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{locked.get_full_name()} dapat masuk lagi."
    ]
    assert AccessAttempt.objects.filter(username="siti").count() == 0
    assert list(
        AuditEvent.objects.values_list(
            "organization", "program", "user", "action", "detail", "people"
        )
    ) == [(program.organization_id, None, coordinator.pk, "account_unlock", "siti", 0)]
    assert list(client.get(page_url(program)).context["accounts"]) == []
    client.logout()
    again = client.post(LOGIN, {"username": "siti", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert again.status_code == 302


def test_an_organization_coordinator_and_an_admin_unlock_too(login, admin_user, locked, program):
    org_coordinator = OrganizationMembershipFactory(organization=program.organization).user

    assert login(org_coordinator).post(unlock_url(program, locked)).status_code == 302
    lock_out(login(admin_user), "siti")
    assert login(admin_user).post(unlock_url(program, locked)).status_code == 302

    assert list(AuditEvent.objects.order_by("pk").values_list("user", "action")) == [
        (org_coordinator.pk, "account_unlock"),
        (admin_user.pk, "account_unlock"),
    ]


def test_a_coordinator_of_another_organization_gets_404(client, login, locked, program):
    stranger = MembershipFactory(role="coordinator").user  # another organization's program
    client = login(stranger)
    own_url = reverse(
        "account_unlock",
        args=[stranger.program_memberships.get().program.organization.slug, locked.pk],
    )

    answers = [
        client.get(page_url(program)).status_code,
        client.post(unlock_url(program, locked)).status_code,
        client.post(own_url).status_code,  # her own organization's address, siti's id
    ]

    assert answers == [404, 404, 404]
    assert AccessAttempt.objects.filter(username="siti").count() == 1
    assert AuditEvent.objects.count() == 0


def test_a_facilitator_cannot_unlock(login, facilitator, locked, program):
    client = login(facilitator)

    assert client.get(page_url(program)).status_code == 404
    assert client.post(unlock_url(program, locked)).status_code == 404
    assert AccessAttempt.objects.filter(username="siti").count() == 1


def test_a_coordinator_cannot_unlock_an_admin_account(client, login, coordinator, program):
    admin = MembershipFactory(
        program=program, role="facilitator", user__username="boss", user__is_staff=True
    ).user
    lock_out(client, "boss")
    client.logout()
    client = login(coordinator)

    page = client.get(page_url(program))
    response = client.post(unlock_url(program, admin))

    assert [(a.username, a.can_unlock) for a in page.context["accounts"]] == [("boss", False)]
    assert "Admin yang membuka kunci akun ini." in page.content.decode()
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username="boss").count() == 1


def test_unlock_only_by_post(login, coordinator, locked, program):
    assert login(coordinator).get(unlock_url(program, locked)).status_code == 405
    assert AccessAttempt.objects.filter(username="siti").count() == 1


def test_an_account_locked_long_ago_is_not_listed(login, coordinator, locked, program):
    import datetime as dt

    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(hours=2))

    assert list(login(coordinator).get(page_url(program)).context["accounts"]) == []


def test_the_page_makes_a_fixed_number_of_queries(
    client, login, coordinator, program, django_assert_num_queries
):
    for size in (1, 3):
        AccessAttempt.objects.all().delete()
        for i in range(size):
            MembershipFactory(program=program, user__username=f"kunci{size}{i}")
            AccessAttempt.objects.create(
                username=f"kunci{size}{i}",
                ip_address="10.0.0.9",
                user_agent="x",
                http_accept="x",
                path_info=LOGIN,
                failures_since_start=5,
            )
        client = login(coordinator)
        with django_assert_num_queries(6):
            response = client.get(page_url(program))
        assert len(response.context["accounts"]) == size
