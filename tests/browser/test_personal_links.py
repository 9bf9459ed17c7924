"""A facilitator sends one participant her own survey link, and checks held answers."""

from playwright.sync_api import expect

from demo.services import PROGRAM_SLUG, demo_load
from programs.models import Program
from surveys.models import HeldResponse, Response
from tests.browser.conftest import assert_fits_phone, log_in
from tests.factories import SurveyFactory


def test_a_personal_link_is_copied_answered_and_a_second_answer_confirmed(page, transactional_db):
    logins = demo_load().passwords
    survey = SurveyFactory(program=Program.objects.get(slug=PROGRAM_SLUG), title="Survei uji")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "fasilitator", logins["fasilitator"])

    page.goto(f"/programs/{PROGRAM_SLUG}/surveys/{survey.pk}/answer/")
    page.get_by_role("link", name="Tautan Siti Aminah").click()
    assert_fits_phone(page)
    expect(page.locator("svg").first).to_be_visible()
    page.get_by_role("button", name="Salin tautan").click()
    expect(page.get_by_role("button", name="Tersalin")).to_be_visible()
    link = page.get_by_label("Tautan (jangan dibagikan ke orang lain)").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == link

    for answer in ("Ya", "Tidak"):  # she answers, then again through the same link
        page.goto(link)
        assert_fits_phone(page)
        expect(page.get_by_label("Nomor HP Ibu")).to_have_count(0)
        page.get_by_role("radio", name=answer).check()
        page.get_by_role("button", name="Kirim jawaban").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih!")
    assert HeldResponse.objects.count() == 1

    page.goto(f"/programs/{PROGRAM_SLUG}/surveys/{survey.pk}/held/")
    assert_fits_phone(page)
    page.get_by_role("button", name="Konfirmasi (ganti jawaban sebelumnya)").click()
    expect(page.get_by_text("Jawaban disimpan.")).to_be_visible()
    assert HeldResponse.objects.count() == 0
    answer = Response.objects.get(survey=survey).answers.get().choices.get()
    assert answer.value == "no"
