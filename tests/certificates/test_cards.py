import io
import re
import uuid

import pytest
import zxingcpp
from django.template.loader import render_to_string
from django.urls import reverse
from PIL import Image, ImageDraw
from pypdf import PdfReader

from certificates import rendering, services
from certificates.codes import ALPHABET, CARD_LENGTH, card_code_display, card_code_valid
from certificates.models import Card
from sessions.models import Attendance, AttendanceEvent
from tests.factories import EnrollmentFactory, ProgramFactory, TrainingSessionFactory


def _draw_segno_svg(svg, scale=8):
    """Rasterise the path segno draws (absolute M, relative m and h moves,
    one module thick) into a PNG-like image a decoder can read."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    size = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            length = float(a) if command == "h" else float(a) - x
            top = (y - 0.5) * scale
            draw.rectangle([x * scale, top, (x + length) * scale - 1, top + scale - 1], fill=0)
            x += length
    return image


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
    html = render_to_string(
        "certificates/cards_pdf.html",
        {"program": program, "pages": [[(card, rendering.qr_svg(card.code)) for card in cards]]},
    )
    drawn = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    decoded = [zxingcpp.read_barcodes(_draw_segno_svg(svg))[0].text for svg in drawn]
    assert decoded == [card.code for card in cards]


@pytest.fixture
def scan(login, facilitator, program):
    session = TrainingSessionFactory(program=program)
    client = login(facilitator)

    def _scan(code, mark_id=None):
        return client.post(
            reverse("card_scan", kwargs={"program_slug": program.slug, "session_id": session.pk}),
            {"code": code, "mark_id": mark_id or uuid.uuid4()},
        )

    _scan.session = session
    return _scan


def test_a_scanned_code_marks_the_right_enrollment_once(scan, program):
    enrollment = EnrollmentFactory(program=program, enrolled_on=scan.session.date)
    other = EnrollmentFactory(program=program, enrolled_on=scan.session.date)
    services.cards_ensure(program=program)
    card = Card.objects.get(enrollment=enrollment)
    symbol = zxingcpp.read_barcodes(_draw_segno_svg(str(rendering.qr_svg(card.code))))[0].text
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
