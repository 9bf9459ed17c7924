"""Finding 3: brute force on a login, and no way to get a new password."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from programs.models import Membership
from tests.factories import PASSWORD, MembershipFactory, UserFactory

LOGIN = "/accounts/login/"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_brute_force_on_one_username_is_locked_for_that_client_only(client):
    UserFactory(username="admin")

    answers = [attempt(client, "admin", f"salah{i}").status_code for i in range(200)]
    right_password_same_client = attempt(client, "admin", PASSWORD)
    neighbour = attempt(client, "admin", PASSWORD, ip="10.0.0.2")  # same village, other phone

    assert answers[:4] == [200] * 4  # the fifth wrong password locks
    assert set(answers[4:]) == {429}
    assert right_password_same_client.status_code == 429
    assert "Terlalu banyak kata sandi salah" in right_password_same_client.content.decode()
    assert neighbour.status_code == 302


@pytest.mark.django_db
def test_other_usernames_from_a_shared_ip_are_not_locked(client):
    UserFactory(username="siti")
    for i in range(10):
        attempt(client, "admin", f"salah{i}")

    assert attempt(client, "siti", PASSWORD).status_code == 302


def test_coordinator_sends_a_one_time_link_that_also_unlocks(
    client, login, coordinator, facilitator, program
):
    for i in range(6):
        attempt(client, facilitator.username, f"salah{i}")
    membership = Membership.objects.get(program=program, user=facilitator)
    page = login(coordinator).post(
        reverse("member_password_reset", args=[program.slug, membership.pk])
    )
    link = re.search(
        r"<code>https?://testserver(/accounts/reset/[^<]+)</code>", page.content.decode()
    )[1]
    client.logout()

    form = client.get(link, follow=True)
    saved = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kebun-Kopi-2024", "new_password2": "Kebun-Kopi-2024"},
    )
    reused = client.get(link, follow=True)
    logged_in = attempt(client, facilitator.username, "Kebun-Kopi-2024")

    assert page["Cache-Control"] == "no-store, private"
    assert "wa.me" in page.content.decode()
    assert saved.url == "/accounts/reset/done/"
    assert reused.context["validlink"] is False
    assert logged_in.status_code == 302
    assert get_user_model().objects.get(pk=facilitator.pk).check_password("Kebun-Kopi-2024")


def test_a_coordinator_cannot_reset_another_coordinator_or_an_admin(login, coordinator, program):
    other = MembershipFactory(program=program, role="coordinator")
    admin_member = MembershipFactory(
        program=program, role="facilitator", user=UserFactory(is_superuser=True, is_staff=True)
    )
    client = login(coordinator)

    statuses = [
        client.post(reverse("member_password_reset", args=[program.slug, m.pk])).status_code
        for m in (other, admin_member)
    ]

    assert statuses == [403, 403]


def test_a_facilitator_cannot_issue_links(login, facilitator, program):
    membership = Membership.objects.get(program=program, user=facilitator)

    response = login(facilitator).post(
        reverse("member_password_reset", args=[program.slug, membership.pk])
    )

    assert response.status_code == 403
