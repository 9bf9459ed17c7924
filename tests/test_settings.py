"""The settings module refuses to start a production process it cannot run safely."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
STRONG_KEY = "k" * 20 + "-a-long-random-production-secret-0123456789"


def run_settings(env):
    """Import the settings in a fresh interpreter (no pytest loaded) with only `env` set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import pkk_training.settings as s; print(s.DEBUG, s.LANGUAGE_CODE, s.TIME_ZONE)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"DJANGO_ALLOWED_HOSTS": "pkk.example.org"})

    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_settings(
        {"DJANGO_SECRET_KEY": "django-insecure-short", "DJANGO_ALLOWED_HOSTS": "pkk.example.org"}
    )

    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_settings({"DJANGO_SECRET_KEY": STRONG_KEY})

    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be one of"),
        ({"DJANGO_DEBUG": "1", "DJANGO_TIME_ZONE": "Mars/Olympus"}, "is not a known time zone"),
        ({"DJANGO_DEBUG": "1", "DJANGO_SESSION_COOKIE_AGE": "two weeks"}, "must be a whole number"),
        ({"DJANGO_DEBUG": "1", "DATABASE_URL": "mysql://x@y/z"}, "must point at PostgreSQL"),
        (
            {
                "DJANGO_DEBUG": "1",
                "DATABASE_URL": "postgres://x@y/z",
                "DJANGO_DB_SERVER_PREPARE": "?",
            },
            "DJANGO_DB_SERVER_PREPARE must be one of",
        ),
    ],
)
def test_bad_values_fail_loudly(env, message):
    result = run_settings(env)

    assert result.returncode == 1
    assert message in result.stderr


def test_production_configuration_starts_with_debug_off():
    result = run_settings(
        {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "pkk.example.org"}
    )

    assert (result.returncode, result.stdout) == (0, "False id Asia/Jakarta\n")


def test_sqlite_waits_instead_of_failing_when_locked():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("running on PostgreSQL")

    assert (options["transaction_mode"], options["timeout"]) == ("IMMEDIATE", 20)
    assert "journal_mode=WAL" in options["init_command"]


SQLITE_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
print(json.dumps({"options": settings.DATABASES["default"]["OPTIONS"], "journal_mode": mode}))
"""


def test_sqlite_named_by_database_url_keeps_wal_immediate_and_the_timeout(tmp_path):
    path = tmp_path / "x.sqlite3"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env = {
        **clean,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "pkk_training.settings",
        "DATABASE_URL": f"sqlite:///{path}",  # sqlite:////tmp/…/x.sqlite3
    }

    result = subprocess.run(
        [sys.executable, "-c", SQLITE_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    probe = json.loads(result.stdout)
    assert probe == {
        "options": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        "journal_mode": "wal",
    }
    assert path.exists()


def test_with_redis_sessions_are_read_from_the_shared_cache_and_kept_in_the_database():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pkk_training.settings as s; "
            "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split() == [
        "pkk_training.session_engines.cached_db",
        "pkk_training.cache.ReusingRedisCache",
    ]


@pytest.mark.parametrize(("flag", "prepare"), [(None, True), ("0", False), ("off", False)])
def test_postgresql_prepares_on_the_server_unless_turned_off_for_a_pooler(flag, prepare):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env = {**clean, "DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u@db.example:5432/pkk"}
    if flag is not None:
        env["DJANGO_DB_SERVER_PREPARE"] = flag

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pkk_training.settings as s; "
            "print(s.DB_SERVER_PREPARE, s.DATABASES['default'].get('OPTIONS', {}))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    # Django's own prepare_threshold stays unset: no other statement is counted.
    assert result.stdout.strip() == f"{prepare} {{}}"


def test_postgresql_runs_on_our_backend_with_health_checks_and_kept_connections():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env = {**clean, "DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u@db.example:5432/pkk"}

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pkk_training.settings as s; d = s.DATABASES['default']; "
            "print(d['ENGINE'], d['CONN_HEALTH_CHECKS'], d['CONN_MAX_AGE'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split() == ["pkk_training.postgresql", "True", "60"]


def test_an_app_server_leaves_what_it_loaded_out_of_garbage_collections():
    result = subprocess.run(
        [sys.executable, "-c", "import gc, pkk_training.wsgi; print(gc.get_freeze_count())"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert int(result.stdout) > 10_000  # Django and the apps, loaded
