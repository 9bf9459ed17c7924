import re

from playwright.sync_api import expect

from demo.services import PARTICIPANTS, SESSIONS, demo_load
from tests.browser.conftest import assert_fits_phone, log_in


def test_demo_facilitator_sees_sessions_and_participants_on_a_phone(page, transactional_db):
    logins = demo_load().passwords

    log_in(page, "fasilitator", logins["fasilitator"])
    assert_fits_phone(page)
    page.get_by_role("link", name=re.compile("Pelatihan E-Commerce TikTok Affiliate")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pelatihan E-Commerce TikTok Affiliate"
    )
    session_titles = page.locator("#sessions .list-group-item .fw-semibold").all_inner_texts()
    assert session_titles == [title for _, title, *_ in SESSIONS]
    expect(page.locator("#participant-total")).to_have_text("30")
    names = page.locator("#participant-results .participant-row .fw-semibold").all_inner_texts()
    assert sorted(names) == sorted(name for name, *_ in PARTICIPANTS)
    assert_fits_phone(page)


def test_participant_search_filters_in_place(page, transactional_db):
    logins = demo_load().passwords
    log_in(page, "fasilitator", logins["fasilitator"])
    page.goto("/programs/tiktok-affiliate-jaya-tinggi/")

    page.get_by_placeholder("Cari berdasarkan nama atau nomor telepon").fill("siti")

    rows = page.locator("#participant-results .participant-row .fw-semibold")
    expect(rows).to_have_count(1)
    expect(rows).to_have_text(["Siti Aminah"])
    # Searching by a phone number as people write it, leading 0 and all.
    page.get_by_placeholder("Cari berdasarkan nama atau nomor telepon").fill("0812-0000-0002")
    expect(rows).to_have_text(["Sri Wahyuni"])
    assert page.url.endswith("/programs/tiktok-affiliate-jaya-tinggi/")  # no reload
