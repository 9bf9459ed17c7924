from playwright.sync_api import expect

from certificates.codes import card_code_display
from certificates.services import cards_ensure
from sessions.models import Attendance
from tests.browser.conftest import assert_fits_phone
from tests.browser.test_attendance import open_new_session, row


def test_scan_card_with_the_typed_code_marks_the_participant(page, transactional_db):
    session = open_new_session(page)
    card = next(
        c
        for c in cards_ensure(program=session.program)
        if c.enrollment.participant.full_name == "Siti Aminah"
    )

    page.get_by_text("Pindai kartu", exact=True).click()
    # The headless browser has no camera: its answer comes first, then the typed code.
    expect(page.locator(".card-scan-status")).to_contain_text("Kamera tidak tersedia")
    page.get_by_label("Atau ketik kode kartu").fill(card_code_display(card.code).lower())
    page.get_by_role("button", name="Tandai hadir", exact=True).click()

    expect(page.locator(".card-scan-status")).to_have_text("Siti Aminah: hadir.")
    expect(
        row(page, "Siti Aminah").get_by_role("button", name="Hadir", exact=True)
    ).to_have_attribute("aria-pressed", "true")
    assert_fits_phone(page)
    assert list(Attendance.objects.filter(session=session).values_list("status", flat=True)) == [
        "present"
    ]


def test_a_card_typed_with_no_signal_waits_in_the_outbox_and_marks_once(page, transactional_db):
    session = open_new_session(page)
    card = next(
        c
        for c in cards_ensure(program=session.program)
        if c.enrollment.participant.full_name == "Sri Wahyuni"
    )
    page.get_by_text("Pindai kartu", exact=True).click()
    # The headless browser has no camera: its answer comes first, then the typed code.
    expect(page.locator(".card-scan-status")).to_contain_text("Kamera tidak tersedia")

    page.context.set_offline(True)
    page.get_by_label("Atau ketik kode kartu").fill(card_code_display(card.code))
    page.get_by_role("button", name="Tandai hadir", exact=True).click()

    expect(page.locator(".card-scan-status")).to_contain_text("disimpan di ponsel ini")
    expect(page.locator("[data-outbox-summary]")).to_contain_text("1 belum terkirim")
    assert Attendance.objects.filter(session=session).count() == 0
    page.console_errors.clear()  # the refused request, logged by Chromium

    page.context.set_offline(False)

    expect(page.locator("[data-outbox-badge]")).to_be_hidden(timeout=20_000)
    assert list(
        Attendance.objects.filter(session=session).values_list("participant__full_name", "status")
    ) == [("Sri Wahyuni", "present")]
    page.console_errors.clear()
