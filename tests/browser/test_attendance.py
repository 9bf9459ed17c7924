import datetime as dt

from playwright.sync_api import expect

from demo.services import PROGRAM_SLUG, demo_load
from programs.models import Program
from sessions.models import Attendance
from tests.browser.conftest import PHONE, assert_fits_phone, log_in
from tests.factories import TrainingSessionFactory


def open_new_session(page):
    logins = demo_load().passwords
    program = Program.objects.get(slug=PROGRAM_SLUG)
    session = TrainingSessionFactory(
        program=program, phase="mentoring", title="Pendampingan lanjutan", date=dt.date(2023, 8, 20)
    )
    log_in(page, "fasilitator", logins["fasilitator"])
    page.goto(session.get_absolute_url())
    return session


def row(page, name):
    return page.locator(".roll-row", has=page.locator(".roll-name", has_text=name))


def tap(page, name, label):
    button = row(page, name).get_by_role("button", name=label, exact=True)
    button.click()
    return button


def test_facilitator_takes_the_roll_on_a_phone(page, transactional_db):
    session = open_new_session(page)
    expect(page.locator(".roll-counter")).to_have_text("0 / 30 hadir")
    assert_fits_phone(page)

    expect(tap(page, "Siti Aminah", "Hadir")).to_have_attribute("aria-pressed", "true")
    expect(tap(page, "Sri Wahyuni", "Terlambat")).to_have_attribute("aria-pressed", "true")
    expect(tap(page, "Nur Hasanah", "Izin")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".roll-counter")).to_have_text("2 / 30 hadir")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tandai semua yang belum sebagai hadir").click()
    expect(page.locator(".roll-counter")).to_have_text("29 / 30 hadir")
    expect(page.locator("[data-outbox-badge]")).to_be_hidden()  # all sent

    page.reload()
    pressed = {
        r.locator(".roll-name").inner_text(): r.locator("[aria-pressed=true]").inner_text()
        for r in page.locator(".roll-row").all()
    }
    assert (pressed["Siti Aminah"], pressed["Sri Wahyuni"], pressed["Nur Hasanah"]) == (
        "Hadir",
        "Terlambat",
        "Izin",
    )
    assert sorted(set(pressed.values())) == ["Hadir", "Izin", "Terlambat"]
    assert list(pressed.values()).count("Hadir") == 28
    expect(page.locator(".roll-counter")).to_have_text("29 / 30 hadir")
    assert Attendance.objects.filter(session=session).count() == 30


def test_a_save_that_fails_waits_on_its_row_and_is_sent_when_the_line_is_back(
    page, transactional_db
):
    session = open_new_session(page)
    page.route("**/attendance/mark/", lambda route: route.abort("internetdisconnected"))

    button = tap(page, "Siti Aminah", "Hadir")

    waiting = row(page, "Siti Aminah")
    expect(waiting).to_have_attribute("data-sync", "waiting")
    expect(waiting.locator("[data-sync]")).to_have_text("Menunggu dikirim")
    expect(waiting.locator(".roll-state")).to_contain_text("Hadir")
    expect(button).to_have_attribute("aria-pressed", "true")  # kept on the phone, shown as such
    expect(page.locator("[data-outbox-summary]")).to_have_text("1 belum terkirim")
    assert Attendance.objects.filter(session=session).count() == 0
    page.console_errors.clear()  # the provoked network failure, logged by Chromium

    page.unroute("**/attendance/mark/")

    expect(waiting).to_have_attribute("data-sync", "saved", timeout=20_000)
    expect(page.locator(".roll-counter")).to_have_text("1 / 30 hadir")
    expect(page.locator("[data-outbox-badge]")).to_be_hidden()
    assert list(Attendance.objects.filter(session=session).values_list("status", flat=True)) == [
        "present"
    ]
    page.console_errors.clear()


def test_filter_as_you_type(page, transactional_db):
    open_new_session(page)

    page.get_by_placeholder("Cari nama").fill("wati")

    expect(page.locator(".roll-row:visible .roll-name")).to_have_text(
        ["Erna Wati", "Purwati", "Rahmawati"]
    )


def test_without_javascript_a_tap_is_posted_by_the_roll_form(
    browser, live_server, transactional_db
):
    logins = demo_load().passwords
    program = Program.objects.get(slug=PROGRAM_SLUG)
    session = TrainingSessionFactory(program=program, date=dt.date(2023, 8, 20))
    context = browser.new_context(
        viewport=PHONE, locale="id-ID", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, "fasilitator", logins["fasilitator"])
    page.goto(session.get_absolute_url())

    tap(page, "Sri Wahyuni", "Terlambat")

    expect(row(page, "Sri Wahyuni").locator(".roll-state")).to_contain_text("Terlambat")
    expect(
        row(page, "Sri Wahyuni").get_by_role("button", name="Terlambat", exact=True)
    ).to_have_attribute("aria-pressed", "true")
    assert list(
        Attendance.objects.filter(session=session).values_list("participant__full_name", "status")
    ) == [("Sri Wahyuni", "late")]
    context.close()
