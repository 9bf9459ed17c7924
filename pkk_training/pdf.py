"""HTML templates rendered to PDF by WeasyPrint, able to read only our static
files and the uploaded files the document names itself."""

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

PDF_BASE_URL = "https://pdf.invalid/"
# Uploaded files (a report's logo and photos) are addressed under this prefix;
# only the storage names listed in the context's "pdf_media" are served.
PDF_MEDIA_URL = PDF_BASE_URL + "_media/"


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


def media_name_for(url, allowed):
    """The storage name behind a PDF_MEDIA_URL address if the document may embed it."""
    if not url.startswith(PDF_MEDIA_URL) or "?" in url or "#" in url:
        return None
    name = unquote(url[len(PDF_MEDIA_URL) :])
    return name if name in allowed else None


def _static_only_fetcher(media=()):
    from django.core.files.storage import default_storage
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = frozenset(media)

    class StaticOnlyURLFetcher(URLFetcher):
        """Participants' names end up in these documents: a name such as
        `<img src="file:///etc/passwd">` must not pull anything into the PDF.
        Uploaded files come from Django's storage (S3 or disk), by exact name."""

        def fetch(self, url, headers=None):
            if url.startswith(DATA_IMAGE_PREFIXES):
                return super().fetch(url, headers)
            name = media_name_for(url, allowed)
            if name is not None:
                with default_storage.open(name, "rb") as file:
                    body = file.read()
                mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": mime})
            path = static_file_for(url)
            if path is None:
                raise ForbiddenResource(f"PDF rendering may not fetch {url!r}")
            return super().fetch(Path(path).as_uri(), headers)

    return StaticOnlyURLFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def render_document(template_name, context, request=None):
    """The laid-out WeasyPrint document, for callers that write its pages
    separately (`document.copy([page]).write_pdf()`) without laying it out again.
    The context's "pdf_media" lists the storage names of uploaded files the
    document may embed; the template addresses them as `pdf_media_url` + name."""
    from weasyprint import HTML  # imported lazily: it loads Pango, which pages don't need

    context = {**context, "pdf_media_url": PDF_MEDIA_URL}
    html = render_to_string(template_name, context, request=request)
    fetcher = _static_only_fetcher(context.get("pdf_media", ()))
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).render()


def render_pdf(template_name, context, request=None):
    """PDF bytes of a template (see render_document)."""
    return render_document(template_name, context, request=request).write_pdf()
