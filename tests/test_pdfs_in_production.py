"""Every PDF as production renders it: DEBUG off, collectstatic with the
manifest storage, {% static %} pointing at hashed names."""

import io
import logging
import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from demo.services import ORGANIZATION_SLUG, PROGRAM_SLUG, demo_load
from pkk_training.pdf import PDF_BASE_URL, static_file_for
from programs.models import Program
from tests.production import production_static

A4 = (595, 842)  # points, rounded


@pytest.fixture(scope="module")
def production_static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    with production_static(root):
        yield root


@pytest.fixture
def weasyprint_log(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    return caplog


@pytest.fixture
def demo(db, client, production_static_root):
    demo_load()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="koordinator"))
    return Program.objects.get(slug=PROGRAM_SLUG)


def pdf_pages(response):
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    return PdfReader(io.BytesIO(response.content)).pages


def size(page):
    return (round(float(page.mediabox.width)), round(float(page.mediabox.height)))


def refusals(caplog):
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING
    ]


def test_the_hashed_stylesheet_is_the_one_linked(production_static_root):
    url = staticfiles_storage.url("css/report-print.css")

    assert re.fullmatch(r"/static/css/report-print\.[0-9a-f]{12}\.css", url)
    assert static_file_for(PDF_BASE_URL + url.lstrip("/")) == str(
        production_static_root / url.removeprefix("/static/")
    )


def test_daftar_hadir_is_styled(client, demo, weasyprint_log):
    session = demo.sessions.get(phase="training")

    pages = pdf_pages(client.get(reverse("attendance_sheet_pdf", args=[demo.slug, session.pk])))

    assert refusals(weasyprint_log) == []
    assert size(pages[0]) == A4
    # The page footer exists only in print.css's @page rule.
    assert f"Halaman 1 / {len(pages)}" in pages[0].extract_text()


def test_program_report_is_styled(client, demo, weasyprint_log):
    pages = pdf_pages(client.get(reverse("program_report_pdf", args=[demo.slug])))

    assert refusals(weasyprint_log) == []
    assert size(pages[0]) == A4
    assert f"1 / {len(pages)}" in pages[0].extract_text()


def test_program_report_with_annex_is_styled(client, demo, weasyprint_log):
    pages = pdf_pages(client.get(reverse("program_report_pdf", args=[demo.slug]) + "?annex=1"))

    assert refusals(weasyprint_log) == []
    assert f"{len(pages)} / {len(pages)}" in pages[-1].extract_text()


def test_rollup_is_styled(client, demo, weasyprint_log):
    pages = pdf_pages(client.get(reverse("organization_rollup_pdf", args=[ORGANIZATION_SLUG])))

    assert refusals(weasyprint_log) == []
    # Landscape comes from report-print.css (body.landscape); unstyled it is portrait.
    assert size(pages[0]) == (A4[1], A4[0])


def test_report_command_pdf_is_styled(demo, tmp_path, weasyprint_log):
    output = tmp_path / "laporan.pdf"

    call_command("report", demo.slug, "--output", str(output), stdout=io.StringIO())

    pages = PdfReader(output).pages
    assert refusals(weasyprint_log) == []
    assert f"1 / {len(pages)}" in pages[0].extract_text()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        f"{PDF_BASE_URL}static/../../etc/passwd",
        f"{PDF_BASE_URL}static//etc/passwd",
        f"{PDF_BASE_URL}static/css/..%2F..%2Fmanage.py",
        f"{PDF_BASE_URL}static/staticfiles.json",
        f"{PDF_BASE_URL}static/css/report-print.0123456789ab.css",
        f"{PDF_BASE_URL}media/x.css",
        "https://evil.example/static/css/report-print.css",
    ],
)
def test_still_nothing_outside_our_static_files(production_static_root, url):
    assert static_file_for(url) is None
