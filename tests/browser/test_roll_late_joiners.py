"""The roll at 360 px: a late-enrolled participant, and "mark all" taken back."""

import datetime as dt

from playwright.sync_api import expect

from demo.services import PROGRAM_SLUG, demo_load
from participants.models import Enrollment
from programs.models import Program
from sessions.models import Attendance
from tests.browser.conftest import assert_fits_phone, log_in
from tests.factories import EnrollmentFactory, TrainingSessionFactory


def open_session_with_a_late_joiner(page):
    logins = demo_load().passwords
    program = Program.objects.get(slug=PROGRAM_SLUG)
    session = TrainingSessionFactory(
        program=program, phase="mentoring", title="Pendampingan lanjutan", date=dt.date(2023, 8, 20)
    )
    late = EnrollmentFactory(
        program=program, participant__full_name="Rina Susanti", enrolled_on=dt.date(2023, 9, 1)
    )
    log_in(page, "fasilitator", logins["fasilitator"])
    page.goto(session.get_absolute_url())
    return session, late


def row(page, name):
    return page.locator(".roll-row", has=page.locator(".roll-name", has_text=name))


def test_a_late_joiner_is_marked_after_one_confirmation(page, transactional_db):
    session, late = open_session_with_a_late_joiner(page)
    expect(page.locator(".roll-counter")).to_have_text("0 / 30 hadir")
    expect(page.locator("[data-roll-late-note]")).to_have_text("1 terdaftar setelah sesi ini")
    expect(row(page, "Rina Susanti").locator(".roll-state")).to_have_text(
        "Baru terdaftar 1 September 2023"
    )
    assert_fits_phone(page)
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    button = row(page, "Rina Susanti").get_by_role("button", name="Hadir", exact=True)
    button.click()

    expect(
        row(page, "Rina Susanti").get_by_role("button", name="Hadir", exact=True)
    ).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".roll-counter")).to_have_text("1 / 31 hadir")
    expect(page.locator("[data-roll-late-note]")).to_be_hidden()
    expect(row(page, "Rina Susanti")).to_have_attribute("data-sync", "saved")
    assert dialogs == [
        "Rina Susanti terdaftar pada 1 September 2023, setelah sesi ini. Tetap tandai dan "
        "ubah tanggal pendaftarannya menjadi 20 Agustus 2023? Perubahan ini dicatat."
    ]
    late.refresh_from_db()
    assert late.enrolled_on == session.date
    assert Attendance.objects.get(session=session).participant == late.participant


def test_mark_all_says_what_it_skipped_and_undo_takes_it_back(page, transactional_db):
    session, _late = open_session_with_a_late_joiner(page)
    row(page, "Siti Aminah").get_by_role("button", name="Izin", exact=True).click()
    expect(page.locator(".roll-counter")).to_have_text("0 / 30 hadir")
    expect(row(page, "Siti Aminah").get_by_role("button", name="Izin")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tandai semua yang belum sebagai hadir").click()

    result = page.locator("[data-mark-all-result]")
    expect(result).to_contain_text(
        "29 ditandai hadir; 1 belum terdaftar pada tanggal sesi; 1 sudah ditandai."
    )
    expect(page.locator(".roll-counter")).to_have_text("29 / 30 hadir")
    undo = result.get_by_role("button", name="Urungkan")
    assert undo.bounding_box()["height"] >= 44
    undo.click()

    expect(page.locator("[data-mark-all-result]")).to_have_text("Diurungkan: 29 tanda dihapus.")
    expect(page.locator(".roll-counter")).to_have_text("0 / 30 hadir")
    assert list(Attendance.objects.filter(session=session).values_list("status", flat=True)) == [
        "excused"
    ]
    assert Enrollment.objects.filter(participant__full_name="Rina Susanti").get().enrolled_on == (
        dt.date(2023, 9, 1)
    )
