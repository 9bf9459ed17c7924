import re

from playwright.sync_api import expect

from checklists.models import ChecklistTemplate, StepProgress
from checklists.selectors import checklist_grid
from demo.services import PROGRAM_SLUG, demo_load
from participants.models import Enrollment
from programs.models import Program
from tests.browser.conftest import assert_fits_phone, log_in


def step(page, title):
    return page.locator(".step-row", has=page.locator(".step-title", has_text=title))


def seller_checklist_for_zubaidah(page):
    """The demo's facilitator, on Zubaidah's checklists page (a participant of
    the untrained group: no checklist yet), gives her "Daftar sebagai Seller"."""
    logins = demo_load().passwords
    enrollment = Enrollment.objects.get(
        program__slug=PROGRAM_SLUG, participant__full_name="Zubaidah"
    )
    log_in(page, "fasilitator", logins["fasilitator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/participants/{enrollment.participant_id}/checklists/")
    page.get_by_label("Daftar periksa").select_option(label="Daftar sebagai Seller")
    page.get_by_role("button", name="Tetapkan").click()
    return enrollment


def test_facilitator_marks_steps_and_finds_them_kept(page, transactional_db):
    enrollment = seller_checklist_for_zubaidah(page)
    track = page.locator("[data-track]", has_text="Daftar sebagai Seller")
    expect(track.locator("[data-track-count]")).to_have_text("0")
    assert_fits_phone(page)

    step(page, "Daftar TikTok Shop").get_by_role("button", name="Selesai").click()
    expect(step(page, "Daftar TikTok Shop")).to_have_attribute("data-state", "done")
    expect(track.locator("[data-track-count]")).to_have_text("1")
    documents = step(page, "Verifikasi dokumen")
    documents.locator("summary", has_text="Terkendala…").click()
    documents.get_by_role("button", name="Dokumen wajib (KTP) gagal diunggah atau ditolak").click()
    expect(step(page, "Verifikasi dokumen")).to_have_attribute("data-state", "blocked")
    expect(track.locator("[data-track-count]")).to_have_text("1")
    expect(step(page, "Verifikasi dokumen")).to_have_attribute("data-sync", "saved")

    page.reload()

    expect(step(page, "Daftar TikTok Shop")).to_have_attribute("data-state", "done")
    expect(step(page, "Verifikasi dokumen").locator(".step-block > summary")).to_have_text(
        "Terkendala: Dokumen wajib (KTP) gagal diunggah atau ditolak"
    )
    expect(track.locator("progress")).to_have_attribute("value", "1")
    assert sorted(
        StepProgress.objects.filter(track__enrollment=enrollment).values_list(
            "step__title", "state"
        )
    ) == [("Daftar TikTok Shop", "done"), ("Verifikasi dokumen", "blocked")]


def test_stuck_at_filter_shows_the_right_people(page, transactional_db):
    logins = demo_load().passwords
    seller = ChecklistTemplate.objects.get(code="tiktok-seller")
    log_in(page, "koordinator", logins["koordinator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/checklists/{seller.pk}/")

    page.get_by_label("Tertahan di langkah").select_option("2")
    page.get_by_role("button", name="Tampilkan").click()

    expect(page.locator(".grid-card-name")).to_have_text(
        [
            "Ani Suryani",
            "Dewi Lestari",
            "Eka Puspita",
            "Fitri Handayani",
            "Hartini",
            "Indah Permatasari",
        ]
    )
    assert_fits_phone(page)


def test_grid_on_a_phone_is_cards_with_tappable_steps(page, transactional_db):
    logins = demo_load().passwords
    creator = ChecklistTemplate.objects.get(code="tiktok-kreator")
    log_in(page, "fasilitator", logins["fasilitator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/checklists/{creator.pk}/")

    card = page.locator(".grid-card").first
    chips = card.locator(".grid-chip")
    expect(chips).to_have_count(creator.steps.filter(archived_at__isnull=True).count())
    last = chips.last  # step 10: hidden off-screen in the old table
    box = last.bounding_box()
    name_box = card.locator(".grid-card-name").bounding_box()
    assert (box["width"] >= 44, box["height"] >= 44, name_box["height"] >= 44) == (True, True, True)
    assert box["x"] + box["width"] <= 360
    assert_fits_phone(page)

    expect(last).to_have_accessible_name(re.compile(r"^10\. Mulai mempromosikan produk: \w"))
    track, step = last.get_attribute("href").split("/")[:2]  # the grid's short link
    her_page = card.locator(".grid-card-name").get_attribute("href")
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    last.click()

    # The script sends the chip straight to her page, past the redirect.
    expect(page).to_have_url(re.compile(re.escape(f"{her_page}#step-{track}-{step}") + "$"))
    assert [url for url in requests if url.endswith(f"/{track}/{step}/")] == []
    expect(page.locator(f"#step-{track}-{step}")).to_be_visible()

    page.goto(f"/programs/{PROGRAM_SLUG}/checklists/{creator.pk}/")
    page.get_by_label("Tertahan di langkah").select_option("2")
    page.get_by_role("button", name="Tampilkan").click()
    program = Program.objects.get(slug=PROGRAM_SLUG)
    stuck = checklist_grid(program, creator, stuck_at=2).rows
    expect(page.locator(".grid-card-name")).to_have_text([r.full_name for r in stuck])


def test_grid_on_a_wide_screen_is_a_row_per_participant_with_the_steps_lined_up(
    browser, live_server, transactional_db
):
    """One markup for every screen: at 1024 px each card is a row (name,
    progress, chips) and step n of every row sits in the same column."""
    logins = demo_load().passwords
    creator = ChecklistTemplate.objects.get(code="tiktok-kreator")
    context = browser.new_context(
        viewport={"width": 1024, "height": 768},
        locale="id-ID",
        base_url=live_server.url,
        service_workers="block",
    )
    page = context.new_page()
    log_in(page, "fasilitator", logins["fasilitator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/checklists/{creator.pk}/")

    layout = page.evaluate(
        """() => [...document.querySelectorAll('.grid-card')].map(card => {
            const top = el => Math.round(el.getBoundingClientRect().top);
            const chips = [...card.querySelectorAll('.grid-chip')];
            return {
                lefts: chips.map(c => Math.round(c.getBoundingClientRect().left)),
                tops: new Set(chips.map(top)).size,
                nameLeft: card.querySelector('.grid-card-name').getBoundingClientRect().right
                    <= chips[0].getBoundingClientRect().left,
            };
        })"""
    )
    first = layout[0]["lefts"]
    assert len(layout) > 1 and len(first) == 10
    assert [(row["lefts"], row["tops"], row["nameLeft"]) for row in layout] == [
        (first, 1, True)
    ] * len(layout)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    # A step not started has no class: the style sheet's default symbol.
    symbols = page.evaluate(
        """selectors => selectors.map(sel =>
            getComputedStyle(document.querySelector('a.grid-chip' + sel), '::after').content)""",
        [":not([class*=cell-])", ".cell-done", ".cell-blocked"],
    )
    assert symbols == ['"·"', '"✓"', '"✗"']

    # With a mouse, a chip's label shows on hover (the old table's cell titles).
    blocked = page.locator(".grid-chip.cell-blocked").first
    blocked.hover()
    tooltip = page.evaluate(
        "el => getComputedStyle(el, '::before').content", blocked.element_handle()
    )
    assert tooltip == '"' + blocked.get_attribute("aria-label") + '"'
    assert re.match(r"^\d+\. .+: Terkendala: .+", blocked.get_attribute("aria-label"))
    context.close()


def test_grid_links_lead_to_the_participant_on_a_wide_screen_and_without_script(
    browser, live_server, transactional_db
):
    logins = demo_load().passwords
    creator = ChecklistTemplate.objects.get(code="tiktok-kreator")
    grid = f"/programs/{PROGRAM_SLUG}/checklists/{creator.pk}/"
    for scripts in (True, False):
        context = browser.new_context(
            viewport={"width": 1024, "height": 768},
            locale="id-ID",
            base_url=live_server.url,
            java_script_enabled=scripts,
            service_workers="block",
        )
        page = context.new_page()
        log_in(page, "fasilitator", logins["fasilitator"])
        page.goto(grid)
        card = page.locator(".grid-card").first
        her_page = card.locator(".grid-card-name").get_attribute("href")
        chip = card.locator(".grid-chip").nth(3)
        track, step = chip.get_attribute("href").split("/")[:2]

        card.locator(".grid-card-name").click()

        expect(page).to_have_url(re.compile(re.escape(her_page) + "$"))

        page.goto(grid)
        chip.click()  # with a mouse, on the wide row

        expect(page).to_have_url(re.compile(re.escape(f"{her_page}#step-{track}-{step}") + "$"))

        page.goto(grid)
        page.set_viewport_size({"width": 360, "height": 740})
        page.locator(".grid-card").first.locator(".grid-chip").nth(3).click()

        expect(page).to_have_url(re.compile(re.escape(f"{her_page}#step-{track}-{step}") + "$"))
        context.close()


def test_a_long_note_typed_without_spaces_wraps_inside_its_step(page, transactional_db):
    seller_checklist_for_zubaidah(page)
    documents = step(page, "Verifikasi dokumen")
    documents.locator("summary", has_text="Terkendala…").click()
    documents.get_by_label("Catatan (opsional, wajib untuk “lainnya”)").fill(
        "https://drive.example/" + "x" * 600
    )
    documents.get_by_role("button", name="Lainnya (tulis catatan)").click()
    expect(step(page, "Verifikasi dokumen")).to_have_attribute("data-state", "blocked")

    state = step(page, "Verifikasi dokumen").locator(".roll-state")
    # The field keeps 500 characters (maxlength); all of them stay on the phone's width.
    expect(state).to_contain_text("https://drive.example/" + "x" * 478)
    box = state.bounding_box()
    assert box["x"] + box["width"] <= 360
    assert state.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert_fits_phone(page)
