from playwright.sync_api import expect
from pypdf import PdfReader

from demo.services import PROGRAM_SLUG, demo_load
from tests.browser.conftest import assert_fits_phone, log_in


def test_coordinator_opens_the_report_and_downloads_the_pdf(page, transactional_db):
    logins = demo_load().passwords
    log_in(page, "koordinator", logins["koordinator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/")
    page.get_by_role("link", name="Laporan", exact=True).click()

    sentences = page.locator(".indicator-sentences li")
    expect(sentences).to_have_count(3)
    expect(sentences.first).to_have_text(
        "90% (18 dari 20) peserta sudah menginstal aplikasi TikTok; 10% (2 dari 20) belum. "
        "Dasar: 20 peserta yang mengisi “Evaluasi pelatihan TikTok Affiliate”, dari 30 terdaftar."
    )
    assert_fits_phone(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh PDF").click()
    download = download_info.value

    assert download.suggested_filename == f"laporan-{PROGRAM_SLUG}.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert "45% (9 dari 20) peserta berhasil membuat akun TikTok Affiliate" in " ".join(
        text.split()
    )
