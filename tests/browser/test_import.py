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


def village_list(tmp_path, shared_phone):
    """A title row, a header the app does not know, and a household phone shared."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DAFTAR PESERTA PELATIHAN GELOMBANG 2"])
    sheet.merge_cells("A1:C1")
    sheet.append(["Nama Lengkap", "Kontak Aktif", "Dusun"])
    sheet.append(["Ratna Dewi", "0813 7000 0001", "Dusun VI"])
    sheet.append(["Putri (anak)", shared_phone, "Dusun VI"])
    path = tmp_path / "daftar-gelombang-2.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_coordinator_maps_a_column_decides_a_conflict_and_undoes(page, transactional_db, tmp_path):
    from participants.models import Participant
    from participants.validators import format_phone

    logins = demo_load().passwords
    mother = (
        Participant.objects.filter(enrollments__program__slug=PROGRAM_SLUG)
        .exclude(phone="")
        .order_by("full_name")
        .first()
    )
    log_in(page, "koordinator", logins["koordinator"])
    page.goto(f"/programs/{PROGRAM_SLUG}/participants/import/")
    page.get_by_label("Spreadsheet (.xlsx, .ods atau .csv)").set_input_files(
        village_list(tmp_path, format_phone(mother.phone))
    )
    page.get_by_label("Cara peserta ini memberikan persetujuan").select_option("paper")
    page.get_by_role("button", name="Periksa berkas").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pratinjau impor")
    assert_fits_phone(page)
    page.get_by_label("Isian untuk kolom Kontak Aktif").select_option("phone")
    page.get_by_role("button", name="Terapkan pilihan ini").click()
    expect(page.locator("[data-count=conflicts]")).to_have_text("1")
    expect(page.locator("[data-conflict='4']")).to_contain_text(mother.full_name)
    page.locator("[data-conflict='4']").get_by_label("Orang yang berbeda").check()
    page.get_by_role("button", name="Terapkan pilihan ini").click()
    expect(page.locator("[data-count=conflicts]")).to_have_text("0")
    expect(page.locator("[data-count=new]")).to_have_text("2")
    page.get_by_role("button", name="Impor", exact=True).click()

    assert Enrollment.objects.filter(program__slug=PROGRAM_SLUG).count() == 32
    mother.refresh_from_db()  # the daughter keeps the household's phone
    assert Participant.objects.get(full_name="Putri (anak)").phone == mother.phone
    page.goto(f"/programs/{PROGRAM_SLUG}/participants/import/history/")
    page.get_by_role("button", name="Batalkan impor ini").first.click()
    expect(page.locator(".alert")).to_contain_text("Impor dibatalkan.")
    assert Enrollment.objects.filter(program__slug=PROGRAM_SLUG).count() == 30
    assert not Participant.objects.filter(full_name__in=["Ratna Dewi", "Putri (anak)"]).exists()
