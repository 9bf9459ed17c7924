"""Cards and certificates as PDF: one HTML document and one stylesheet for the
whole batch, QR codes drawn as small inline SVGs (no image fetched)."""

import hashlib

import segno
from django.utils.safestring import mark_safe

from pkk_training.pdf import render_document, render_pdf
from reports.models import ReportSettings, Signatory

CARDS_PER_PAGE = 8


def qr_svg(text):
    # segno writes the markup itself from a code of our alphabet or our URL: nothing
    # a participant typed ends up inside it.
    return mark_safe(segno.make(text, error="m").svg_inline(omitsize=True, border=2))  # noqa: S308


def qr_png(text, *, scale=10):
    import io

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def cards_pdf(program, cards):
    pages = [cards[i : i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
    return render_pdf(
        "certificates/cards_pdf.html",
        {
            "program": program,
            "pages": [[(card, qr_svg(card.code)) for card in page] for page in pages],
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
        items.append({"certificate": certificate, "url": url, "qr": qr_svg(url)})
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
