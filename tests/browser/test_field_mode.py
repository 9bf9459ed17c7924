"""Field mode: marks made with no signal are kept on the phone and arrive exactly once."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checklists.models import StepProgress
from demo.services import PROGRAM_SLUG, demo_load
from participants.models import Enrollment, Participant
from programs.models import Program
from sessions.models import Attendance, AttendanceEvent
from surveys.models import Response
from tests.browser.conftest import PHONE, assert_fits_phone, log_in
from tests.factories import SurveyFactory, TrainingSessionFactory

NAMES = [
    "Siti Aminah",
    "Sri Wahyuni",
    "Nur Hasanah",
    "Rina Marlina",
    "Yuliana Sari",
    "Dewi Lestari",
    "Ani Suryani",
    "Eka Puspita",
    "Fitri Handayani",
    "Hartini",
]


@pytest.fixture
def world(transactional_db):
    logins = demo_load().passwords
    program = Program.objects.get(slug=PROGRAM_SLUG)
    session = TrainingSessionFactory(
        program=program, phase="mentoring", title="Pendampingan lanjutan", date=dt.date(2023, 8, 20)
    )
    return session, logins


@pytest.fixture
def phone(browser, live_server):
    """Opens phone-sized browser contexts (each its own storage); console errors fail the test."""
    contexts, errors = [], []

    def open_phone():
        context = browser.new_context(
            viewport=PHONE, locale="id-ID", base_url=live_server.url, has_touch=True
        )
        contexts.append(context)
        context.on(
            "page",
            lambda p: p.on("console", lambda m: errors.append(m.text) if m.type == "error" else 0),
        )
        return context

    open_phone.errors = errors
    yield open_phone
    for context in contexts:
        context.close()


def open_roll(context, session, username, password):
    page = context.new_page()
    log_in(page, username, password)
    page.goto(session.get_absolute_url())
    # The roll is stored for use with no signal once the service worker runs.
    expect(page.locator("body")).to_have_attribute("data-offline-stored", "1")
    return page


def row(page, name):
    return page.locator(".roll-row", has=page.locator(".roll-name", has_text=name))


def tap(page, name, label):
    row(page, name).get_by_role("button", name=label, exact=True).click()


def expect_waiting(page, names, label="Hadir"):
    for name in names:
        expect(row(page, name)).to_have_attribute("data-sync", "waiting")
        expect(row(page, name).get_by_role("button", name=label, exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )


def skip_pauses(page, until):
    """Moves the page's clock (installed with context.clock.install()) past the
    pauses between tries until `until()` holds, instead of waiting them out."""
    for _ in range(40):
        if until():
            return
        page.clock.fast_forward(5_000)
        page.wait_for_timeout(100)


def offline_errors(errors):
    """The browser logs each failed request; those are expected here, nothing else is."""
    return [e for e in errors if "ERR_INTERNET_DISCONNECTED" not in e and "Failed to" not in e]


def test_ten_marks_offline_survive_reload_and_reopening_and_arrive_once(world, phone):
    session, logins = world
    context = phone()
    page = open_roll(context, session, "fasilitator", logins["fasilitator"])

    context.set_offline(True)
    for name in NAMES:
        tap(page, name, "Hadir")
    expect_waiting(page, NAMES)
    expect(page.locator("[data-outbox-summary]")).to_contain_text("10 belum terkirim")

    page.reload()  # no signal: the stored roll, with the ten still waiting
    expect_waiting(page, NAMES)
    expect(page.locator(".roll-counter")).to_have_text("10 / 30 hadir")
    page.close()
    page = context.new_page()
    page.goto(session.get_absolute_url())
    expect_waiting(page, NAMES)
    assert Attendance.objects.filter(session=session).count() == 0

    context.set_offline(False)
    expect(page.locator("[data-outbox-badge]")).to_be_hidden(timeout=20_000)
    for name in NAMES:
        expect(row(page, name)).to_have_attribute("data-sync", "saved")
    assert Attendance.objects.filter(session=session, status="present").count() == 10
    assert AttendanceEvent.objects.filter(session=session).count() == 10
    assert offline_errors(phone.errors) == []


def test_a_500_is_retried_and_the_mark_arrives_once(world, phone):
    session, logins = world
    context = phone()
    context.clock.install()
    page = open_roll(context, session, "fasilitator", logins["fasilitator"])
    answers = []

    def fail_once(route):
        answers.append(route.request.headers.get("x-outbox-id"))
        if len(answers) == 1:
            route.fulfill(status=500, body="boom")
        else:
            route.continue_()

    page.route("**/attendance/mark/", fail_once)
    tap(page, "Siti Aminah", "Izin")
    skip_pauses(page, lambda: len(answers) >= 2)

    expect(row(page, "Siti Aminah")).to_have_attribute("data-sync", "saved", timeout=20_000)
    assert len(answers) == 2 and answers[0] == answers[1]  # the same entry, sent again
    assert list(Attendance.objects.filter(session=session).values_list("status", flat=True)) == [
        "excused"
    ]
    assert AttendanceEvent.objects.filter(session=session).count() == 1
    phone.errors.clear()  # the provoked 500


def test_a_403_is_kept_for_review_and_not_retried(world, phone):
    session, logins = world
    context = phone()
    context.clock.install()  # the page's clock, so the pauses between tries can be skipped
    page = open_roll(context, session, "fasilitator", logins["fasilitator"])
    sent = []

    def refuse(route):
        sent.append(route.request.url)
        route.fulfill(status=403, body="Dilarang.", content_type="text/plain")

    page.route("**/attendance/mark/", refuse)
    tap(page, "Siti Aminah", "Hadir")

    refused = row(page, "Siti Aminah")
    expect(refused).to_have_attribute("data-sync", "review")
    expect(refused.locator("[data-sync]")).to_have_text("Perlu diperiksa: Dilarang.")
    expect(page.locator("[data-outbox-summary]")).to_contain_text("1 perlu diperiksa")
    page.clock.fast_forward(60_000)  # past the first pauses between tries, had it waited
    page.wait_for_timeout(300)
    page.reload()
    expect(row(page, "Siti Aminah")).to_have_attribute("data-sync", "review")
    assert sent == [sent[0]]  # once: kept, shown, never sent again by itself
    assert Attendance.objects.filter(session=session).count() == 0
    phone.errors.clear()

    page.unroute("**/attendance/mark/")
    page.locator("[data-outbox-summary]").click()
    page.get_by_role("button", name="Kirim lagi").click()
    expect(page.locator("[data-outbox-badge]")).to_be_hidden()
    assert list(Attendance.objects.filter(session=session).values_list("status", flat=True)) == [
        "present"
    ]


def test_a_quick_correction_on_a_slow_line_ends_in_the_last_tap(world, phone):
    session, logins = world
    context = phone()
    page = open_roll(context, session, "fasilitator", logins["fasilitator"])
    cdp = context.new_cdp_session(page)
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 300,
            "downloadThroughput": 50_000,
            "uploadThroughput": 20_000,
        },
    )

    tap(page, "Siti Aminah", "Izin")
    page.wait_for_timeout(120)
    tap(page, "Siti Aminah", "Tidak hadir")
    tap(page, "Sri Wahyuni", "Izin")
    page.wait_for_timeout(120)
    tap(page, "Sri Wahyuni", "Tidak hadir")

    expect(page.locator("[data-outbox-badge]")).to_be_hidden(timeout=20_000)
    expect(row(page, "Siti Aminah").get_by_role("button", name="Tidak hadir")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert sorted(
        Attendance.objects.filter(session=session).values_list("participant__full_name", "status")
    ) == [
        ("Siti Aminah", "absent"),
        ("Sri Wahyuni", "absent"),
    ]
    assert AttendanceEvent.objects.filter(session=session).count() == 4


# A phone whose storage is slow to write: once `holdWrites` is set, an outbox
# write keeps its IndexedDB transaction busy and never lands before the page
# goes, which then drops it.
HOLD_WRITES = """
const put = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function () {
  if (!window.holdWrites) return put.apply(this, arguments);
  const store = this;
  (function busy() { store.get("-").onsuccess = busy; })();
  return {};
};
"""


def test_a_correction_still_being_written_when_the_page_is_reloaded_is_kept(world, phone):
    session, logins = world
    context = phone()
    context.add_init_script(HOLD_WRITES)
    page = open_roll(context, session, "fasilitator", logins["fasilitator"])

    context.set_offline(True)
    tap(page, "Siti Aminah", "Hadir")
    page.evaluate("window.holdWrites = true")
    tap(page, "Siti Aminah", "Izin")  # its write still under way...
    page.reload()  # ...when the page goes
    expect_waiting(page, ["Siti Aminah"], label="Izin")
    expect(page.locator("[data-outbox-summary]")).to_contain_text("2 belum terkirim")
    context.set_offline(False)

    expect(page.locator("[data-outbox-badge]")).to_be_hidden(timeout=20_000)
    assert list(
        Attendance.objects.filter(session=session).values_list("participant__full_name", "status")
    ) == [("Siti Aminah", "excused")]
    assert AttendanceEvent.objects.filter(session=session).count() == 2
    assert page.evaluate("localStorage.getItem('pkk-outbox-unsaved')") is None
    assert offline_errors(phone.errors) == []


@pytest.mark.parametrize("junk", ["[1, null, {", '[1, null, {"id": 5}, "x", {"id": "a"}]'])
def test_a_garbled_left_behind_list_is_dropped_without_an_error(world, phone, junk):
    session, logins = world
    page = open_roll(phone(), session, "fasilitator", logins["fasilitator"])

    page.evaluate("junk => localStorage.setItem('pkk-outbox-unsaved', junk)", junk)
    page.reload()

    expect(page.locator("[data-outbox-badge]")).to_be_hidden()
    page.wait_for_function("localStorage.getItem('pkk-outbox-unsaved') === null")
    assert phone.errors == []


def test_two_phones_offline_the_later_tap_wins_and_both_are_kept(world, phone):
    session, logins = world
    first_phone, second_phone = phone(), phone()
    first = open_roll(first_phone, session, "fasilitator", logins["fasilitator"])
    second = open_roll(second_phone, session, "koordinator", logins["koordinator"])
    first_phone.set_offline(True)
    second_phone.set_offline(True)

    tap(first, "Siti Aminah", "Hadir")
    first.wait_for_timeout(50)
    tap(second, "Siti Aminah", "Tidak hadir")  # the later tap
    # The later tap arrives first; the earlier one arrives after it.
    second_phone.set_offline(False)
    expect(second.locator("[data-outbox-badge]")).to_be_hidden(timeout=20_000)
    first_phone.set_offline(False)
    expect(first.locator("[data-outbox-badge]")).to_be_hidden(timeout=20_000)

    assert list(
        Attendance.objects.filter(session=session).values_list("status", "marked_by__username")
    ) == [("absent", "koordinator")]
    assert list(
        AttendanceEvent.objects.filter(session=session)
        .order_by("tapped_at")
        .values_list("status", "superseded")
    ) == [("present", True), ("absent", False)]
    expect(row(first, "Siti Aminah").get_by_role("button", name="Tidak hadir")).to_have_attribute(
        "aria-pressed", "true"
    )
    second.reload()
    expect(second.locator("#disagreements")).to_contain_text("Siti Aminah: Hadir oleh")
    assert offline_errors(phone.errors) == []


def test_a_walk_in_registered_offline_with_a_known_phone_and_name_is_no_duplicate(world, phone):
    session, logins = world
    context = phone()
    page = open_roll(context, session, "fasilitator", logins["fasilitator"])
    walk_in = session.get_absolute_url() + "attendance/walk-in/"
    page.goto(walk_in)  # stored for use with no signal, like the roll
    expect(page.locator("body")).to_have_attribute("data-offline-stored", "1")
    known = Participant.objects.get(full_name="Siti Aminah")
    people = Participant.objects.count()

    context.set_offline(True)
    page.reload()
    page.get_by_label("Nama lengkap", exact=False).fill("siti  aminah")
    page.get_by_label("Nomor telepon").fill(known.phone)
    page.get_by_label("Cara peserta memberikan persetujuan pemrosesan data").select_option("paper")
    page.get_by_role("button", name="Daftarkan dan tandai hadir").click()

    page.wait_for_url("**" + session.get_absolute_url())
    waiting = page.locator(".roll-row[data-sync=waiting]", has_text="siti  aminah")
    expect(waiting).to_have_count(1)
    context.set_offline(False)

    expect(page.locator("[data-outbox-badge]")).to_be_hidden(timeout=20_000)
    merged = row(page, "Siti Aminah")
    expect(merged).to_have_count(1)
    expect(merged).to_have_attribute("data-sync", "saved")
    expect(merged.locator(".roll-error")).to_have_text(
        "Sudah terdaftar (nomor HP dan nama sama): ditandai hadir."
    )
    assert Participant.objects.count() == people
    assert list(
        Attendance.objects.filter(session=session).values_list("participant", "status")
    ) == [(known.pk, "present")]
    assert offline_errors(phone.errors) == []


def test_checklist_taps_offline_arrive_in_order_without_a_conflict(world, phone):
    _session, logins = world
    enrollment = Enrollment.objects.get(
        program__slug=PROGRAM_SLUG, participant__full_name="Zubaidah"
    )
    context = phone()
    page = context.new_page()
    log_in(page, "fasilitator", logins["fasilitator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/participants/{enrollment.participant_id}/checklists/")
    page.get_by_label("Daftar periksa").select_option(label="Daftar sebagai Seller")
    page.get_by_role("button", name="Tetapkan").click()
    expect(page.locator("body")).to_have_attribute("data-offline-stored", "1")

    context.set_offline(True)
    shop = page.locator(".step-row", has=page.locator(".step-title", has_text="Daftar TikTok Shop"))
    shop.get_by_role("button", name="Selesai").click()
    shop.get_by_role("button", name="Tidak berlaku").click()  # a correction, on the old version
    expect(shop).to_have_attribute("data-sync", "waiting")
    page.reload()
    expect(shop).to_have_attribute("data-state", "not_applicable")
    context.set_offline(False)

    expect(shop).to_have_attribute("data-sync", "saved", timeout=20_000)
    expect(shop.locator(".step-conflict")).to_have_count(0)
    assert list(
        StepProgress.objects.filter(track__enrollment=enrollment).values_list(
            "step__title", "state"
        )
    ) == [("Daftar TikTok Shop", "not_applicable")]
    assert offline_errors(phone.errors) == []


def test_assisted_survey_answers_offline_arrive_with_every_choice(world, phone):
    session, logins = world
    survey = SurveyFactory(
        program=session.program,
        title="Survei uji",
        anonymous=False,
        questions=[
            {"kind": "yes_no", "text": "Apakah Ibu sudah menginstal TikTok?"},
            {"kind": "multiple", "text": "Dokumen yang Ibu punya?", "options": "KTP\nKK\nNPWP"},
        ],
    )
    siti = Participant.objects.get(full_name="Siti Aminah")
    context = phone()
    page = context.new_page()
    log_in(page, "fasilitator", logins["fasilitator"])
    respondents = f"/programs/{PROGRAM_SLUG}/surveys/{survey.pk}/answer/"
    for url in (respondents, f"{respondents}{siti.pk}/"):
        page.goto(url)  # both stored, as "Siapkan untuk offline" would
        expect(page.locator("body")).to_have_attribute("data-offline-stored", "1")

    context.set_offline(True)
    page.get_by_role("radio", name="Ya").check()
    page.get_by_role("checkbox", name="KTP").check()
    page.get_by_role("checkbox", name="NPWP").check()
    page.get_by_role("button", name="Simpan dan lanjut ke peserta berikutnya").click()

    page.wait_for_url("**" + respondents)
    expect(page.locator("[data-outbox-summary]")).to_contain_text("1 belum terkirim")
    context.set_offline(False)

    expect(page.locator("[data-outbox-badge]")).to_be_hidden(timeout=20_000)
    answers = Response.objects.get(survey=survey, participant=siti).answers.all()
    assert sorted(c.label for a in answers for c in a.choices.all()) == ["KTP", "NPWP", "Ya"]
    assert offline_errors(phone.errors) == []


def test_logging_out_with_marks_not_sent_warns_first(world, phone):
    session, logins = world
    context = phone()
    page = open_roll(context, session, "fasilitator", logins["fasilitator"])
    context.set_offline(True)
    tap(page, "Siti Aminah", "Hadir")
    dialogs = []

    def decline(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", decline)
    page.locator("details.app-menu > summary").click()
    page.get_by_role("button", name="Keluar").click()

    assert dialogs == [
        "1 tanda belum terkirim. Tanda itu tetap tersimpan di HP ini dan dikirim saat Anda "
        "masuk lagi di sini. Tetap keluar?"
    ]
    expect(row(page, "Siti Aminah")).to_have_attribute("data-sync", "waiting")
    assert page.url.endswith(session.get_absolute_url())


def test_prepare_for_offline_stores_todays_roll_and_the_checklists(world, phone):
    session, logins = world
    session.date = timezone.localdate()
    session.save()
    siti = Participant.objects.get(full_name="Siti Aminah")
    context = phone()
    page = context.new_page()
    log_in(page, "fasilitator", logins["fasilitator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/")
    expect(page.locator(".app-today")).to_contain_text("Pendampingan lanjutan")
    assert_fits_phone(page)

    page.get_by_role("button", name="Siapkan untuk offline").click()
    expect(page.locator("#offline-status")).to_contain_text(
        re.compile(r"^Siap untuk offline: \d+ halaman, disiapkan pukul \d\d:\d\d\.$"),
        timeout=60_000,
    )
    context.set_offline(True)

    page.goto(session.get_absolute_url())  # never opened before, stored all the same
    expect(page.locator(".roll-counter")).to_have_text("0 / 30 hadir")
    page.goto(f"/programs/{PROGRAM_SLUG}/participants/{siti.pk}/checklists/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Siti Aminah")
    page.goto(f"/programs/{PROGRAM_SLUG}/report/")  # not for the field: the offline page
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak ada sinyal")


def test_a_mark_saved_whose_answer_was_lost_is_recognised_and_shown_saved(world, phone):
    session, logins = world
    context = phone()
    context.clock.install()
    page = open_roll(context, session, "fasilitator", logins["fasilitator"])
    sent = []

    def lose_the_first_answer(route):
        sent.append(route.request.headers.get("x-outbox-id"))
        if len(sent) == 1:
            route.fetch()  # the server saves it…
            route.abort("connectionreset")  # …and the answer never reaches the phone
        else:
            route.continue_()

    page.route("**/attendance/mark/", lose_the_first_answer)
    tap(page, "Siti Aminah", "Terlambat")
    skip_pauses(page, lambda: len(sent) >= 2)

    expect(row(page, "Siti Aminah")).to_have_attribute("data-sync", "saved", timeout=20_000)
    assert len(sent) == 2 and sent[0] == sent[1]
    assert list(Attendance.objects.filter(session=session).values_list("status", flat=True)) == [
        "late"
    ]
    assert AttendanceEvent.objects.filter(session=session).count() == 1
    phone.errors.clear()
