"""Static files as production serves them, for the tests that need hashed names."""

from contextlib import contextmanager

from django.core.management import call_command
from django.test import override_settings


@contextmanager
def production_static(root):
    """DEBUG off and collectstatic into `root` with the manifest storage: production's
    CompressedManifest… less the compression (a quarter of a minute here), since
    the hashed names are what the pages and the PDFs must find."""
    settings = override_settings(
        DEBUG=False,
        STATIC_ROOT=root,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        },
    )
    with settings:
        call_command("collectstatic", "--noinput", verbosity=0)
        yield
