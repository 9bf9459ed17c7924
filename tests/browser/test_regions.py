from playwright.sync_api import expect

from demo.services import PROGRAM_SLUG, demo_load
from programs.models import Program
from tests.browser.conftest import assert_fits_phone, log_in


def test_coordinator_finds_a_district_by_name_and_picks_a_village_on_a_phone(
    page, transactional_db
):
    logins = demo_load().passwords
    log_in(page, "koordinator", logins["koordinator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/edit/")

    expect(page.locator("#id_regency_code option:checked")).to_have_text("Kabupaten Way Kanan")
    expect(page.locator("#id_district_code option:checked")).to_have_text("Kasui")
    expect(page.locator("#id_village_code option:checked")).to_have_text("Jaya Tinggi")
    assert_fits_phone(page)

    page.get_by_label("Cari kecamatan atau desa").fill("Baradatu")
    result = page.locator(".region-result", has_text="Kabupaten Way Kanan").first
    expect(result).to_contain_text("Baradatu")
    assert_fits_phone(page)
    result.click()
    expect(page.locator("#id_district_code option:checked")).to_have_text("Baradatu")
    expect(page.locator("#id_village_code")).to_be_enabled()
    village = page.locator("#id_village_code option").nth(1)
    village_name, village_code = village.text_content(), village.get_attribute("value")
    page.select_option("#id_village_code", village_code)
    expect(page.locator("#id_village_code option:checked")).to_have_text(village_name)
    page.get_by_role("button", name="Simpan").click()

    expect(page.locator(".alert-success")).to_contain_text("Program disimpan.")
    program = Program.objects.get(slug=PROGRAM_SLUG)
    assert (program.district_code, program.village_code, program.village) == (
        "18.08.04",
        village_code,
        village_name,
    )


def test_coordinator_uploads_a_documentation_photo_on_a_phone(page, transactional_db, tmp_path):
    from tests.reports.test_photos import jpeg_with_gps

    photo = tmp_path / "foto.jpg"
    photo.write_bytes(jpeg_with_gps())
    logins = demo_load().passwords
    log_in(page, "koordinator", logins["koordinator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/report/settings/")

    page.locator("#id_image").set_input_files(photo)
    page.locator("#id_caption").fill("Praktik di GSG")
    page.get_by_role("button", name="Tambahkan foto").click()

    expect(page.locator(".alert-success")).to_contain_text("Foto ditambahkan.")
    expect(page.locator(".report-photo-thumb")).to_have_count(1)
    # Waits for the image to arrive: a loaded machine serves it after the page.
    expect(page.locator(".report-photo-thumb")).to_have_js_property("naturalWidth", 1280)
    assert_fits_phone(page)
