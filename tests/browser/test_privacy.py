"""A coordinator hands a participant her data and erases her on her request."""

import json

from playwright.sync_api import expect

from demo.services import PROGRAM_SLUG, demo_load
from participants.models import Participant
from tests.browser.conftest import assert_fits_phone, log_in


def test_data_saya_then_erasure_from_the_participant_page(page, transactional_db):
    logins = demo_load().passwords
    siti = Participant.objects.get(full_name="Siti Aminah")
    log_in(page, "koordinator", logins["koordinator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/participants/{siti.pk}/")
    assert_fits_phone(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Berkas JSON").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["identity"][0]["full_name"] == "Siti Aminah"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Peserta meminta datanya dihapus", exact=False).check()
    page.get_by_role("button", name="Hapus data pribadinya").click()

    expect(page.get_by_text("Data pribadi peserta sudah dihapus.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Peserta terhapus #{siti.pk.hex[:8]}"
    )
    expect(page.get_by_role("button", name="Hapus data pribadinya")).to_have_count(0)
