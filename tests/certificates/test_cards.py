import io
import uuid

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from certificates import rendering, services
from certificates.codes import ALPHABET, CARD_LENGTH, card_code_display, card_code_valid
from certificates.models import Card
from sessions.models import Attendance, AttendanceEvent
from tests.factories import EnrollmentFactory, ProgramFactory, TrainingSessionFactory


def _decoded(image):
    """The text of the QR code in a PIL image (one pixel per module: enlarged first)."""
    image = image.convert("L").resize((image.width * 8, image.height * 8), Image.NEAREST)
    return zxingcpp.read_barcodes(image)[0].text


def _pdf_qr_codes(pdf):
    """Every QR image in the PDF, decoded, in document order. WeasyPrint gives all
    pages one resource dictionary, so each image is read once by its name."""
    codes = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for picture in page.images:
            if picture.name not in codes:
                codes[picture.name] = _decoded(picture.image)
    return list(codes.values())


def test_card_codes_have_no_look_alikes_and_a_check_character(db):
    assert not set("0O1IL") & set(ALPHABET)
    program = ProgramFactory()
    enrollments = [EnrollmentFactory(program=program) for _ in range(3)]

    cards = services.cards_ensure(program=program)

    assert sorted(c.enrollment_id for c in cards) == sorted(e.pk for e in enrollments)
    for card in cards:
        assert len(card.code) == CARD_LENGTH and card_code_valid(card.code)
        wrong = ALPHABET[(ALPHABET.index(card.code[2]) + 1) % len(ALPHABET)]
        assert not card_code_valid(card.code[:2] + wrong + card.code[3:])
    assert services.cards_ensure(program=program) == cards  # no new codes the second time


def test_cards_pdf_holds_every_code_and_its_qr_decodes_to_it(login, program, facilitator):
    enrollments = [EnrollmentFactory(program=program) for _ in range(9)]  # two pages

    response = login(facilitator).get(reverse("cards_pdf", kwargs={"program_slug": program.slug}))

    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    cards = Card.objects.filter(enrollment__in=enrollments)
    assert (response.status_code, len(reader.pages), cards.count()) == (200, 2, 9)
    for card in cards:
        assert card_code_display(card.code) in text
        assert card.enrollment.participant.full_name in text
        assert card.enrollment.participant.phone not in text
    assert _pdf_qr_codes(response.content) == [
        card.code for card in services.cards_ensure(program=program)
    ]


@pytest.fixture
def scan(login, facilitator, program):
    session = TrainingSessionFactory(program=program)
    client = login(facilitator)

    def _scan(code, mark_id=None, **headers):
        return client.post(
            reverse("card_scan", kwargs={"program_slug": program.slug, "session_id": session.pk}),
            {"code": code, "mark_id": mark_id or uuid.uuid4()},
            headers=headers,
        )

    _scan.session = session
    return _scan


def test_a_scanned_code_marks_the_right_enrollment_once(scan, program):
    enrollment = EnrollmentFactory(program=program, enrolled_on=scan.session.date)
    other = EnrollmentFactory(program=program, enrolled_on=scan.session.date)
    services.cards_ensure(program=program)
    card = Card.objects.get(enrollment=enrollment)
    (symbol,) = _pdf_qr_codes(rendering.cards_pdf(program, [card]))
    mark_id = uuid.uuid4()

    first = scan(symbol, mark_id)
    again = scan(card_code_display(symbol).lower(), mark_id)  # the same tap resent, typed

    assert (first.status_code, first.json()["ok"]) == (200, True)
    assert again.status_code == 200
    assert list(Attendance.objects.values_list("participant_id", "status")) == [
        (enrollment.participant_id, "present")
    ]
    assert AttendanceEvent.objects.count() == 1
    assert first.json()["participant"] == str(enrollment.participant_id)
    assert str(other.participant_id) not in first.json()["row"]


def test_another_programs_card_marks_nothing_and_says_so(scan, program):
    EnrollmentFactory(program=program)
    stranger = EnrollmentFactory(program=ProgramFactory(organization=program.organization))
    (card,) = services.cards_ensure(program=stranger.program)

    response = scan(card.code)

    assert response.status_code == 409
    assert response.json() == {
        "ok": False,
        "message": "Kartu ini milik program lain: tidak ada yang ditandai.",
    }
    assert Attendance.objects.count() == 0


def test_a_refused_card_sent_later_by_the_outbox_is_plain_text_for_its_review(scan, program):
    stranger = EnrollmentFactory(program=ProgramFactory(organization=program.organization))
    (card,) = services.cards_ensure(program=stranger.program)

    response = scan(card.code, **{"X-Outbox-Id": "0f1e"})

    assert (response.status_code, response["Content-Type"], response.content.decode()) == (
        409,
        "text/plain",
        "Kartu ini milik program lain: tidak ada yang ditandai.",
    )
    assert Attendance.objects.count() == 0


def test_a_withdrawn_participants_card_marks_nothing(scan, program):
    enrollment = EnrollmentFactory(program=program, status="withdrawn")
    code = next("2345678" + c for c in ALPHABET if card_code_valid("2345678" + c))
    Card.objects.create(enrollment=enrollment, code=code)

    response = scan(code)

    assert response.json() == {
        "ok": False,
        "message": f"{enrollment.participant.full_name} sudah mengundurkan diri dari program: "
        "tidak ada yang ditandai.",
    }
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ABCD", "Ini bukan kode kartu: periksa hurufnya."),
        ("", "Ketik atau pindai kode kartu."),
    ],
)
def test_a_wrong_code_marks_nothing(scan, code, message):
    response = scan(code)

    assert response.json() == {"ok": False, "message": message}
    assert Attendance.objects.count() == 0


def test_the_roll_page_offers_the_scanner_only_to_those_who_mark(login, program, facilitator):
    session = TrainingSessionFactory(program=program)
    url = reverse("session_detail", kwargs={"program_slug": program.slug, "session_id": session.pk})
    scan_url = reverse("card_scan", kwargs={"program_slug": program.slug, "session_id": session.pk})

    html = login(facilitator).get(url).content.decode()

    assert f'data-scan-url="{scan_url}"' in html
    assert "<script>" not in html


def test_pdfs_take_images_written_into_them_and_still_fetch_nothing_else():
    from pkk_training.pdf import ForbiddenResource, _static_only_fetcher

    fetcher = _static_only_fetcher()

    assert fetcher.fetch("data:image/png;base64,iVBORw0KGgo=").read() == b"\x89PNG\r\n\x1a\n"
    for url in ("data:text/html,<b>x</b>", "file:///etc/passwd", "http://169.254.169.254/"):
        with pytest.raises(ForbiddenResource):
            fetcher.fetch(url)
