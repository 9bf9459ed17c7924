"""Logo and documentation photos: re-encoded without EXIF/GPS, in every format."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from PIL import Image
from pypdf import PdfReader

from pkk_training.pdf import PDF_MEDIA_URL, media_name_for
from reports import services
from reports.images import image_clean
from reports.models import ReportPhoto
from tests.factories import ProgramFactory

GPS_IFD = 0x8825


def jpeg_with_gps(size=(2400, 1800)):
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2023:08:05 10:00:00"  # DateTime
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (4.0, 42.0, 0.0), 3: "E", 4: (104.0, 30.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(content, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_photo_with_gps_exif_comes_out_without_it(program):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD) != {}

    photo = services.photo_add(program=program, image=upload(original), caption="Pelatihan")

    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (1280, 960)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert (photo.width, photo.height) == (1280, 960)
    assert (photo.caption, photo.position) == ("Pelatihan", 1)
    assert photo.image.name.startswith(f"reports/{program.pk}/photos/")


def test_exif_orientation_is_applied_before_it_is_removed(db):
    image = Image.new("RGB", (400, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)

    cleaned = image_clean(upload(out.getvalue()), max_side=1600, field="image")

    assert Image.open(cleaned).size == (200, 400)


def test_a_decompression_bomb_is_refused_with_an_indonesian_message(program):
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")  # 100 MP in a few kB
    assert len(out.getvalue()) < 100_000

    with pytest.raises(ValidationError) as refused:
        services.photo_add(program=program, image=upload(out.getvalue(), "bom.png", "image/png"))

    assert refused.value.message_dict == {
        "image": ["Gambar terlalu besar (lebih dari 64 megapiksel)."]
    }
    assert ReportPhoto.objects.count() == 0


def test_a_file_that_is_not_a_picture_is_refused_with_an_indonesian_message(program):
    with pytest.raises(ValidationError) as refused:
        services.photo_add(program=program, image=upload(b"%PDF-1.7 not a photo"))

    assert refused.value.message_dict == {
        "image": ["Berkas ini bukan gambar. Unggah foto JPEG atau PNG."]
    }


def test_a_logo_keeps_its_transparency_as_png(program):
    out = io.BytesIO()
    Image.new("RGBA", (1200, 600), (0, 0, 0, 0)).save(out, format="PNG")

    settings = services.report_settings_save(
        program=program, logo=upload(out.getvalue(), "logo.png", "image/png")
    )

    with settings.logo.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (600, 300))


def test_photos_are_ordered_moved_and_deleted(program, django_capture_on_commit_callbacks):
    first, second, third = (
        services.photo_add(program=program, image=upload(jpeg_with_gps((50, 50))), caption=c)
        for c in ("satu", "dua", "tiga")
    )
    name = third.image.name

    services.photo_move(photo=third, offset=-1)
    services.photo_move(photo=first, offset=-1)  # already first: stays
    assert [p.caption for p in program.report_photos.all()] == ["satu", "tiga", "dua"]
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(photo=second)

    assert [p.caption for p in program.report_photos.all()] == ["satu", "tiga"]
    assert [p.position for p in program.report_photos.all()] == [1, 2]
    assert not default_storage.exists(second.image.name)
    assert default_storage.exists(name)


def test_settings_page_uploads_a_logo_and_a_photo_shown_in_the_html_report(
    login, program, coordinator
):
    client = login(coordinator)
    client.post(
        reverse("report_settings", args=[program.slug]),
        {"letterhead_name": "UIN Raden Intan", "logo": upload(jpeg_with_gps((300, 300)))},
    )
    response = client.post(
        reverse("photo_add", args=[program.slug]),
        {"image": upload(jpeg_with_gps()), "caption": "Praktik di balai kampung"},
    )
    photo = program.report_photos.get()

    assert response.status_code == 302
    page = client.get(reverse("program_report", args=[program.slug])).content.decode()
    assert f'src="{reverse("report_photo", args=[program.slug, photo.pk])}"' in page
    assert "Gambar 1. Praktik di balai kampung" in page
    assert reverse("report_logo", args=[program.slug]) + "?v=" in page
    served = client.get(reverse("report_photo", args=[program.slug, photo.pk]))
    assert (served.status_code, served["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"


def test_a_bad_upload_on_the_settings_page_says_why(login, program, coordinator):
    response = login(coordinator).post(
        reverse("photo_add", args=[program.slug]),
        {"image": upload(b"not an image", "catatan.jpg")},
    )

    assert response.status_code == 200
    assert "Berkas ini bukan gambar. Unggah foto JPEG atau PNG." in response.content.decode()


def test_another_programs_member_cannot_see_a_photo(login, program, outsider):
    photo = services.photo_add(program=program, image=upload(jpeg_with_gps((40, 40))))

    response = login(outsider).get(reverse("report_photo", args=[program.slug, photo.pk]))

    assert response.status_code == 404


def test_pdf_has_the_logo_on_page_one_and_the_photos(login, program, coordinator):
    services.report_settings_save(
        program=program, letterhead_name="UIN Raden Intan", logo=upload(jpeg_with_gps((300, 300)))
    )
    for caption in ("Satu", "Dua"):
        services.photo_add(program=program, image=upload(jpeg_with_gps()), caption=caption)

    pdf = login(coordinator).get(reverse("program_report_pdf", args=[program.slug])).content

    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages[0].images) >= 1
    assert sum(len(page.images) for page in pages) == 3
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Gambar 1. Satu" in text
    assert "Gambar 2. Dua" in text


def test_docx_has_the_logo_and_the_photos(login, program, coordinator):
    services.report_settings_save(program=program, logo=upload(jpeg_with_gps((300, 300))))
    services.photo_add(program=program, image=upload(jpeg_with_gps()), caption="Satu")

    content = login(coordinator).get(reverse("program_report_docx", args=[program.slug])).content

    document = Document(io.BytesIO(content))
    assert len(document.inline_shapes) == 2
    assert "Gambar 1. Satu" in [p.text for p in document.paragraphs]


def test_pdf_fetcher_serves_only_the_media_the_document_lists():
    allowed = ["reports/1/photos/a.jpg"]

    assert media_name_for(PDF_MEDIA_URL + "reports/1/photos/a.jpg", allowed) == allowed[0]
    assert media_name_for(PDF_MEDIA_URL + "reports/2/photos/b.jpg", allowed) is None
    assert media_name_for(PDF_MEDIA_URL + "reports/1/photos/../../../etc/passwd", allowed) is None
    assert media_name_for("file:///etc/passwd", allowed) is None
    assert media_name_for(PDF_MEDIA_URL + "reports/1/photos/a.jpg?x=1", allowed) is None


def test_a_name_in_the_report_cannot_pull_another_programs_photo_into_the_pdf(
    login, program, coordinator
):
    other = ProgramFactory()
    secret = services.photo_add(program=other, image=upload(jpeg_with_gps((60, 60))))
    program.name = f'<img src="{PDF_MEDIA_URL}{secret.image.name}">'
    program.save()

    pdf = login(coordinator).get(reverse("program_report_pdf", args=[program.slug])).content

    assert sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages) == 0
