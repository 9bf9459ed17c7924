"""Helpers for tests that read rendered pages."""

import io
import re
from html.parser import HTMLParser

from django.contrib.messages import get_messages

NAME = re.compile(r"Peserta \d\d")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def names_on(response):
    """The distinct participant names of tests.factories.program_of_size on a page, sorted."""
    return sorted(set(NAME.findall(response.content.decode())))


def names_of(sized):
    return [e.participant.full_name for e in sized.enrollments]


class _Rows(HTMLParser):
    """The text of each <tr> (cells joined by " | ") inside the element with `id`."""

    def __init__(self, element_id):
        super().__init__()
        self.element_id, self.depth, self.rows, self.row, self.cell = element_id, 0, [], None, None

    def handle_starttag(self, tag, attrs):
        if self.depth:
            if tag not in VOID:
                self.depth += 1
            if tag == "tr":
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1

    def handle_endtag(self, tag):
        if not self.depth:
            return
        self.depth -= 1
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(" | ".join(self.row))
            self.row = None

    def handle_data(self, data):
        if self.depth and self.cell is not None:
            self.cell.append(data)


def table_rows(response, element_id):
    """Each row of the table with that id as 'cell | cell | …', whitespace collapsed."""
    parser = _Rows(element_id)
    parser.feed(response.content.decode())
    return parser.rows


def text_of(response):
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def pdf_text(content):
    """The text of every page of a PDF, whitespace collapsed."""
    from pypdf import PdfReader

    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )
