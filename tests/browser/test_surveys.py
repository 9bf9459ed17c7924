import re

from playwright.sync_api import expect

from demo.services import PROGRAM_SLUG, demo_load
from programs.models import Program
from surveys.models import HeldResponse, Response
from tests.browser.conftest import assert_fits_phone, log_in
from tests.factories import SurveyFactory

QUESTIONS = [
    {"kind": "yes_no", "text": "Apakah Ibu sudah menginstal TikTok?"},
    {"kind": "single", "text": "Jalur yang Ibu pilih?", "options": "Kreator\nSeller"},
    {"kind": "multiple", "text": "Dokumen yang Ibu punya?", "options": "KTP\nKartu Keluarga\nNPWP"},
    {"kind": "scale", "text": "Seberapa mudah pelatihannya?"},
    {"kind": "number", "text": "Berapa video yang sudah Ibu buat?"},
    {"kind": "short_text", "text": "Nama toko Ibu?"},
    {"kind": "long_text", "text": "Saran untuk kami?"},
]


def answer_everything(page, survey, video_count):
    page.goto(f"/s/{survey.public_token}/")
    assert_fits_phone(page)
    page.get_by_label("Nomor HP Ibu").fill("0812-0000-0001")  # Siti Aminah, as she writes it
    page.get_by_role("radio", name="Ya").check()
    page.get_by_role("radio", name="Seller").check()
    page.get_by_role("checkbox", name="KTP").check()
    page.get_by_role("checkbox", name="NPWP").check()
    page.get_by_role("radio", name="4").check()
    page.get_by_label("Berapa video yang sudah Ibu buat?").fill(str(video_count))
    page.get_by_label("Nama toko Ibu?").fill("Keripik Pisang Siti")
    page.get_by_label("Saran untuk kami?").fill("Tolong ajari cara live.")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih!")


def test_participant_answers_the_public_link_once(page, transactional_db):
    logins = demo_load().passwords
    survey = SurveyFactory(
        program=Program.objects.get(slug=PROGRAM_SLUG), title="Survei uji", questions=QUESTIONS
    )

    answer_everything(page, survey, video_count=3)
    # She sends it again, changed her mind: kept aside for a facilitator to
    # confirm, since anyone who knows her number could have sent it.
    answer_everything(page, survey, video_count=5)
    assert list(HeldResponse.objects.values_list("reason", flat=True)) == ["would_replace"]

    log_in(page, "koordinator", logins["koordinator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/surveys/{survey.pk}/results/")
    results = page.locator(".result")
    expect(results.nth(0).locator(".result-n")).to_have_text("1 dari 1 menjawab")
    expect(results.nth(0).locator(".bar-figure").first).to_have_text("1 dari 1, 100%")
    expect(results.nth(2).locator(".bar-label")).to_have_text(
        [
            re.compile(r"KTP\s*1 dari 1, 100%"),
            re.compile(r"Kartu Keluarga\s*0 dari 1, 0%"),
            re.compile(r"NPWP\s*1 dari 1, 100%"),
        ]
    )
    expect(results.nth(4)).to_contain_text("Rata-rata 3,0")
    expect(results.nth(6)).to_contain_text("Tolong ajari cara live.")
    assert Response.objects.filter(survey=survey).count() == 1
    assert_fits_phone(page)


def test_tapping_beside_an_options_text_still_selects_it(page, transactional_db):
    demo_load()
    survey = SurveyFactory(
        program=Program.objects.get(slug=PROGRAM_SLUG), title="Survei uji", questions=QUESTIONS
    )
    page.goto(f"/s/{survey.public_token}/")

    yes = page.locator(".survey-option", has_text="Ya")
    box = yes.bounding_box()
    text_box = yes.locator("span").bounding_box()
    assert box["height"] >= 44
    # Well to the right of the word "Ya", still on its row.
    page.mouse.click(text_box["x"] + text_box["width"] + 120, box["y"] + box["height"] / 2)
    expect(page.get_by_role("radio", name="Ya")).to_be_checked()

    npwp = page.locator(".survey-option", has_text="NPWP")
    npwp_box = npwp.bounding_box()
    page.mouse.click(npwp_box["x"] + npwp_box["width"] - 10, npwp_box["y"] + 5)
    expect(page.get_by_role("checkbox", name="NPWP")).to_be_checked()

    page.get_by_role("button", name="Kirim jawaban").click()
    question = page.locator("fieldset", has_text="Jalur yang Ibu pilih?")
    expect(question.locator(".survey-error")).to_have_text("Wajib diisi.")
    error_y = question.locator(".survey-error").bounding_box()["y"]
    assert error_y < question.locator(".survey-option").first.bounding_box()["y"]
