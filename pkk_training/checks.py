from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register

from pkk_training.crypto import dev_key


@register()
def translations_compiled(app_configs, **kwargs):
    catalog = settings.BASE_DIR / "locale" / "id" / "LC_MESSAGES" / "django.mo"
    if catalog.exists():
        return []
    return [
        Error(
            "The Indonesian translation catalog is not compiled.",
            hint="Run `make messages` (needs GNU gettext) and commit "
            "locale/id/LC_MESSAGES/django.mo.",
            id="pkk.E001",
        )
    ]


@register(deploy=True)
def pdf_renderer_available(app_configs, **kwargs):
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # a missing Pango/HarfBuzz shows as a failed dlopen
        return [
            Warning(
                f"WeasyPrint cannot load its system libraries ({exc}); PDF reports will fail.",
                hint="Install Pango: `apt-get install libpango-1.0-0 libpangoft2-1.0-0`.",
                id="pkk.W001",
            )
        ]
    return []


@register(Tags.database, deploy=True)
def production_database(app_configs, **kwargs):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        return [
            Info(
                "The database is SQLite: fine for one village laptop, not for a shared server.",
                hint="Set DATABASE_URL=postgres://… for production.",
                id="pkk.I001",
            )
        ]
    return []


@register(deploy=True)
def nik_key_configured(app_configs, **kwargs):
    key = getattr(settings, "PKK_NIK_KEY", "")
    if key and key != dev_key(settings.SECRET_KEY):
        return []
    return [
        Error(
            "PKK_NIK_KEY is not set: NIKs cannot be encrypted or read.",
            hint="Generate one with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`, keep it apart from database backups, "
            "and set PKK_NIK_KEY in the environment (see the README).",
            id="pkk.E002",
        )
    ]
