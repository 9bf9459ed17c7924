"""HTML templates rendered to PDF by WeasyPrint, able to read only our static files."""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

PDF_BASE_URL = "https://pdf.invalid/"


# Images written into the document itself (QR codes): they carry their bytes, fetch nothing.
DATA_IMAGE_PREFIXES = ("data:image/png;base64,",)


class ForbiddenResource(ValueError):
    pass


def static_file_for(url):
    """The file on disk behind a /static/… URL of the PDF's base, else None."""
    parts = urlsplit(url)
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    if f"{parts.scheme}://{parts.netloc}/" != PDF_BASE_URL:
        return None
    if not parts.path.startswith(static_prefix):
        return None
    relative = unquote(parts.path[len(static_prefix) :])
    if not relative or relative.startswith("/") or "\\" in relative or "\0" in relative:
        return None
    if ".." in relative.split("/"):
        return None
    try:
        return finders.find(relative) or _collected_file(relative)
    except SuspiciousFileOperation:
        return None


def _collected_file(relative):
    """A hashed name (report-print.3f2a….css) that collectstatic wrote with the
    manifest storage: production's {% static %} links to these, and no finder
    knows them. Only names in the manifest are served, from STATIC_ROOT."""
    hashed_files = getattr(staticfiles_storage, "hashed_files", None)
    if not hashed_files or relative not in set(hashed_files.values()):
        return None
    path = staticfiles_storage.path(relative)
    return path if os.path.isfile(path) else None


def _static_only_fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyURLFetcher(URLFetcher):
        """Participants' names end up in these documents: a name such as
        `<img src="file:///etc/passwd">` must not pull anything into the PDF."""

        def fetch(self, url, headers=None):
            if url.startswith(DATA_IMAGE_PREFIXES):
                return super().fetch(url, headers)
            path = static_file_for(url)
            if path is None:
                raise ForbiddenResource(f"PDF rendering may not fetch {url!r}")
            return super().fetch(Path(path).as_uri(), headers)

    return StaticOnlyURLFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def render_document(template_name, context, request=None):
    """The laid-out WeasyPrint document, for callers that write its pages
    separately (`document.copy([page]).write_pdf()`) without laying it out again."""
    from weasyprint import HTML  # imported lazily: it loads Pango, which pages don't need

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_static_only_fetcher()).render()


def render_pdf(template_name, context, request=None):
    return render_document(template_name, context, request=request).write_pdf()
