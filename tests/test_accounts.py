"""Logging in and out, and changing one's password."""

from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def test_login_with_the_right_password_goes_to_the_page_asked_for(client, db):
    UserFactory(username="siti")

    wrong = client.post(reverse("login"), {"username": "siti", "password": "salah"})
    right = client.post(
        reverse("login") + "?next=/checklists/", {"username": "siti", "password": PASSWORD}
    )

    assert (wrong.status_code, wrong.context["form"].non_field_errors()) == (
        200,
        # Our own message: Django's Indonesian one read "nama pengguna nama pengguna".
        ["Nama pengguna atau kata sandi salah. Huruf besar dan kecil dibedakan."],
    )
    assert (right.status_code, right.url) == (302, "/checklists/")


def test_logout_ends_the_session(client, facilitator):
    client.force_login(facilitator)

    response = client.post(reverse("logout"))
    after = client.get(reverse("home"))

    assert (response.status_code, after.url) == (302, f"{reverse('login')}?next=/")


def test_password_change_takes_the_old_password_and_sets_the_new(client, facilitator):
    client.force_login(facilitator)
    new = "kopi tubruk di balai desa"

    refused = client.post(
        reverse("password_change"),
        {"old_password": "salah", "new_password1": new, "new_password2": new},
    )
    changed = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    done = client.get(changed.url)

    facilitator.refresh_from_db()
    assert list(refused.context["form"].errors) == ["old_password"]
    assert changed.url == reverse("password_change_done")
    assert done.status_code == 200
    assert facilitator.check_password(new)
