from playwright.sync_api import expect

from certificates.models import Certificate
from demo.services import PROGRAM_SLUG, demo_load
from tests.browser.conftest import assert_fits_phone, log_in


def test_coordinator_issues_certificates_and_anyone_checks_one_on_a_phone(
    page, transactional_db, browser, live_server
):
    logins = demo_load().passwords
    log_in(page, "koordinator", logins["koordinator"])

    page.goto(f"/programs/{PROGRAM_SLUG}/certificates/")
    assert_fits_phone(page)
    page.get_by_role("button", name="Terbitkan").click()

    expect(page.get_by_role("link", name="Unduh")).to_be_visible()
    certificate = Certificate.objects.order_by("sequence").first()
    assert certificate.number.startswith("001/KKN-23/")

    stranger = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    public = stranger.new_page()
    public.goto(f"{live_server.url}/v/{certificate.code}/")
    expect(public.locator("#verdict")).to_contain_text("SAH")
    expect(public.get_by_text(certificate.name)).to_be_visible()
    assert_fits_phone(public)
    stranger.close()
