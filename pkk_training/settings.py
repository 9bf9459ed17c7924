"""Settings for pkk-training, read from environment variables.

Development: `DJANGO_DEBUG=1` (what `make run` sets). Production: DJANGO_DEBUG
unset, with DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and usually DATABASE_URL.
A bad value stops the process with ImproperlyConfigured rather than running
with a silently different configuration.
"""

import os
import sys
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pkk_training.crypto import check_key, dev_key

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


# pytest imports this module while collecting; tests need neither a secret
# nor real hosts, and must never read a developer's production variables.
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production needs a long random secret, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`; "
            "for local development set DJANGO_DEBUG=1."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
elif not (DEBUG or TESTING) and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too weak: use at least 50 random characters.")

# NIKs are encrypted at rest with this Fernet key (and hashed with a key derived
# from it); see pkk_training/crypto.py and the README. Development and tests use
# a key derived from SECRET_KEY; production without one fails `check --deploy`.
PKK_NIK_KEY = "" if TESTING else os.environ.get("PKK_NIK_KEY", "").strip()
PKK_NIK_OLD_KEYS = () if TESTING else tuple(env_list("PKK_NIK_OLD_KEYS"))
if PKK_NIK_KEY:
    check_key(PKK_NIK_KEY)
elif DEBUG or TESTING:
    PKK_NIK_KEY = dev_key(SECRET_KEY)
for _old in PKK_NIK_OLD_KEYS:
    check_key(_old, "PKK_NIK_OLD_KEYS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set: give the comma-separated host names this "
            "site is served under, e.g. pkk.example.ac.id"
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",
    "import_export",
    "axes",
    "pkk_training.apps.PkkTrainingConfig",
    # The project's apps, bottom layer first: each imports only those above it here.
    "programs.apps.ProgramsConfig",
    "jobs.apps.JobsConfig",
    "participants.apps.ParticipantsConfig",
    "sessions.apps.TrainingSessionsConfig",
    "checklists.apps.ChecklistsConfig",
    "surveys.apps.SurveysConfig",
    "reports.apps.ReportsConfig",
    "certificates.apps.CertificatesConfig",
    "demo.apps.DemoConfig",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pkk_training.middleware.ContentSecurityPolicyMiddleware",
    "pkk_training.middleware.OutboxReceiptMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (a roll of 44 KB travels as 4 KB). BREACH, which guesses
    # a secret from compressed sizes, finds none to guess: Django masks the
    # CSRF token anew in every response, and the session cookie (SameSite=Lax)
    # is not sent with the cross-site requests such an attack needs. WhiteNoise,
    # above, answers static files itself with their precompressed copies.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view says login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as its documentation asks: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "pkk_training.auth_backends.ModelBackend",
]
# Login throttling: a username is locked for one client only (many villagers
# share one mobile IP), after AXES_FAILURE_LIMIT wrong passwords, for an hour
# or until an admin or a coordinator unlocks it.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every manage.py command
# Behind a reverse proxy, the number of proxies in X-Forwarded-For to trust.
if os.environ.get("AXES_IPWARE_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_IPWARE_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

ROOT_URLCONF = "pkk_training.urls"
WSGI_APPLICATION = "pkk_training.wsgi.application"
ASGI_APPLICATION = "pkk_training.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite file by default, DATABASE_URL (postgres://…) for production.
# Several facilitators write at once in a village hall: WAL lets readers go on
# during a write, IMMEDIATE takes the write lock at BEGIN (no upgrade deadlock)
# and the timeout waits instead of failing with "database is locked". Every
# SQLite database gets them, however it is named.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    if _db["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (or SQLite).")
    _db["CONN_HEALTH_CHECKS"] = True
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend whose health check reads the socket before querying.
        _db["ENGINE"] = "pkk_training.postgresql"
    _db.setdefault("TEST", {})
    if os.environ.get("DJANGO_TEST_DATABASE_NAME"):
        _db["TEST"]["NAME"] = os.environ["DJANGO_TEST_DATABASE_NAME"]
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Options written in the URL (?timeout=60) win over ours.
    _db["OPTIONS"] = {**SQLITE_OPTIONS, **_db.get("OPTIONS", {})}
DATABASES = {"default": _db}
# PostgreSQL: the marks' few statements (pkk_training.prepared) are prepared on
# the server, once per connection. Behind a transaction-mode pooler without
# prepared-statement support (PgBouncer < 1.21, or its max_prepared_statements
# at 0), set DJANGO_DB_SERVER_PREPARE=0.
DB_SERVER_PREPARE = env_bool("DJANGO_DB_SERVER_PREPARE", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Several app servers share one cache (and its rate-limit counters) through
# Redis; a single server keeps them in its own memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        # Django's Redis cache, keeping its client (pkk_training/cache.py says why).
        "default": {"BACKEND": "pkk_training.cache.ReusingRedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions are still written to the database (a Redis restart logs nobody
    # out), but read from the shared cache: one query less on every request.
    SESSION_ENGINE = "pkk_training.session_engines.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Not cached here: a logout on one worker would not reach another's memory.
    SESSION_ENGINE = "pkk_training.session_engines.db"

# Background jobs (jobs/): a worker (`manage.py db_worker`) takes them from the
# database, so no other server is needed. Tests run them in the request.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend"
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # A real hasher costs ~0.3 s per password; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Jakarta")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"DJANGO_TIME_ZONE {TIME_ZONE!r} is not a known time zone") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads and generated files: the filesystem, or an S3-compatible object store
# shared by every app server (pip install "pkk-training[s3]"; the usual
# AWS_* variables of django-storages configure it).
_object_store = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
if _object_store:
    try:
        import storages  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set but django-storages is not installed: "
            'pip install "django-storages[s3]"'
        ) from None
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage"
        if _object_store
        else "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {
        # Hashed, pre-compressed files in production; plain finders when
        # developing or testing so no collectstatic run is needed.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# Tests and development serve static files through the finders, without a
# collectstatic run; production serves the hashed files in STATIC_ROOT.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = BASE_DIR / "media"
# Where the Django admin's import keeps uploads between preview and confirmation;
# purge_personal_data deletes what is older than a day. Empty: <tmp>/pkk-training-imports.
IMPORT_TEMP_DIR = os.environ.get("DJANGO_IMPORT_TEMP_DIR", "").strip()
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# Security. Production defaults are strict; a site behind a TLS-terminating
# proxy sets DJANGO_SECURE_PROXY_SSL_HEADER=1.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not TESTING)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not TESTING)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if TESTING else 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Joining the browsers' HSTS preload list is the domain owner's decision,
# made with DJANGO_SECURE_HSTS_PRELOAD=1, not a default this app can take.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Uploads (participant spreadsheets) are refused above this size.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# django-import-export: a spreadsheet cell starting with = + - @ is never a
# formula in what the admin exports.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
