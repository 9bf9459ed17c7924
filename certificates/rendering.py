"""Cards and certificates as PDF: one HTML document and one stylesheet for the
whole batch, each QR code a tiny PNG written into the document (nothing fetched)."""

import base64
import hashlib
import io

import segno
from django.utils.safestring import mark_safe

from pkk_training.pdf import render_document, render_pdf
from reports.models import ReportSettings, Signatory

CARDS_PER_PAGE = 8


def qr_image(text):
    """An <img> carrying the QR code as a one-pixel-per-module PNG, scaled up
    sharp by the stylesheet: a quarter faster in WeasyPrint than the same code
    as an inline SVG path. The markup is ours; `text` only goes into the pixels."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=1, border=4)
    data = base64.b64encode(out.getvalue()).decode("ascii")
    return mark_safe(f'<img class="qr" alt="" src="data:image/png;base64,{data}">')  # noqa: S308


def cards_pdf(program, cards):
    pages = [cards[i : i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
    return render_pdf(
        "certificates/cards_pdf.html",
        {
            "program": program,
            "pages": [[(card, qr_image(card.code)) for card in page] for page in pages],
        },
    )


def _signing(program):
    report_settings = ReportSettings.objects.filter(program=program).first()
    return {
        "report_settings": report_settings,
        "signatories": list(Signatory.objects.filter(program=program)),
    }


def certificates_document(program, settings, certificates, verify_url):
    """The laid-out document, one page per certificate, in the order given.
    `verify_url(code)` is the absolute address printed under each QR code."""
    items = []
    for certificate in certificates:
        url = verify_url(certificate.code)
        items.append({"certificate": certificate, "url": url, "qr": qr_image(url)})
    return render_document(
        "certificates/certificates_pdf.html",
        {"program": program, "settings": settings, "items": items, **_signing(program)},
    )


def split_pages(document):
    """[(pdf bytes, sha256)] for each page of a laid-out document, written separately."""
    out = []
    for page in document.pages:
        pdf = document.copy([page]).write_pdf()
        out.append((pdf, hashlib.sha256(pdf).hexdigest()))
    return out
