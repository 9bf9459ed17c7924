"""The session engines read a session with a prepared statement and answer as Django's do."""

import datetime as dt
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends import cached_db as django_cached_db
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from pkk_training.auth_backends import ModelBackend
from pkk_training.session_engines import PreparedRead, cached_db, db
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGINES = [
    (db.SessionStore, django_db.SessionStore),
    (cached_db.SessionStore, django_cached_db.SessionStore),
]


def test_the_settings_use_our_engine():
    assert settings.SESSION_ENGINE in {
        "pkk_training.session_engines.db",
        "pkk_training.session_engines.cached_db",
    }
    assert issubclass(import_module(settings.SESSION_ENGINE).SessionStore, PreparedRead)


@pytest.mark.parametrize(("ours", "djangos"), ENGINES)
def test_a_live_session_reads_as_djangos_engine_reads_it(ours, djangos):
    written = ours()
    written.update({"_auth_user_id": "7", "lang": "id"})
    written.save()
    cache.clear()  # the cached engine must find it in the database

    session = ours(written.session_key)

    assert (
        dict(session.items())
        == dict(djangos(written.session_key).items())
        == {
            "_auth_user_id": "7",
            "lang": "id",
        }
    )
    assert session.session_key == written.session_key


# The local-memory cache warns of keys that memcached could not hold.
@pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning")
@pytest.mark.parametrize(("ours", "djangos"), ENGINES)
@pytest.mark.parametrize(
    "key", ["expired0key", "nosuchsessionkey0", "k" * 41, "k" * 5000, "'; DROP TABLE x;--"]
)
def test_an_expired_unknown_or_junk_key_reads_empty_and_is_forgotten(ours, djangos, key):
    Session.objects.create(
        session_key="expired0key",
        session_data=ours().encode({"_auth_user_id": "7"}),
        expire_date=timezone.now() - dt.timedelta(seconds=1),
    )

    session = ours(key)

    assert dict(session.items()) == dict(djangos(key).items()) == {}
    assert session.session_key is None


def test_a_logged_in_user_stays_logged_in_and_a_logout_ends_it(client):
    user = UserFactory()
    client.force_login(user)

    home = client.get(reverse("home"))
    client.post(reverse("logout"))
    after = client.get(reverse("home"))

    assert (home.status_code, home.context["user"]) == (200, user)
    assert (after.status_code, after.url.split("?")[0]) == (302, reverse("login"))
    assert Session.objects.count() == 0


def test_a_session_opened_before_the_upgrade_stays_logged_in(client):
    user = UserFactory()
    before = db.SessionStore()
    before.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    before.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key

    home = client.get(reverse("home"))

    assert (home.status_code, home.context["user"]) == (200, user)


@pytest.mark.parametrize(
    ("change", "logged_in"),
    [({}, True), ({"is_active": False}, False), ({"password": "changed"}, False)],
)
def test_the_user_is_read_as_djangos_backend_reads_her(client, change, logged_in):
    user = UserFactory()
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(**change)

    answer = client.get(reverse("home"))

    assert answer.status_code == (200 if logged_in else 302)
    assert ModelBackend().get_user(user.pk) == (user if change.get("is_active", True) else None)


@pytest.mark.parametrize("junk", [0, -1, 2**63, 10**30])
def test_an_id_no_user_has_reads_no_user(junk):
    assert ModelBackend().get_user(junk) is None
