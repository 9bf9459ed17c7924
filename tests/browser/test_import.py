import io

from openpyxl import Workbook
from playwright.sync_api import expect

from demo.services import PROGRAM_SLUG, demo_load
from participants.models import Enrollment
from tests.browser.conftest import assert_fits_phone, log_in


def spreadsheet(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nama", "No HP", "Dusun", "RT", "RW"])
    sheet.append(["Ratna Dewi", "0813 7000 0001", "Dusun VI", "001", "006"])
    sheet.append(["Yuyun Wahyuni", "81370000002", "Dusun VI", "002", "006"])
    path = tmp_path / "peserta-baru.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_coordinator_imports_a_small_spreadsheet(page, transactional_db, tmp_path):
    logins = demo_load().passwords
    log_in(page, "koordinator", logins["koordinator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/participants/import/")
    assert_fits_phone(page)

    page.get_by_label("Spreadsheet (.xlsx, .ods atau .csv)").set_input_files(spreadsheet(tmp_path))
    page.get_by_label("Cara peserta ini memberikan persetujuan").select_option("paper")
    page.get_by_role("button", name="Periksa berkas").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pratinjau impor")
    expect(page.locator("[data-count=new]")).to_have_text("2")
    expect(page.locator("[data-count=invalid]")).to_have_text("0")
    assert Enrollment.objects.filter(program__slug=PROGRAM_SLUG).count() == 30  # not yet
    page.get_by_role("button", name="Impor", exact=True).click()

    page.get_by_placeholder("Cari berdasarkan nama atau nomor telepon").fill("Ratna")
    expect(page.locator("#participant-results .participant-row .fw-semibold")).to_have_text(
        ["Ratna Dewi"]
    )
    assert Enrollment.objects.filter(program__slug=PROGRAM_SLUG).count() == 32
