"""The report in English carries no Indonesian of ours: only what people typed
(session titles, indicator wording, steps, reasons, questions) stays as typed."""

import io
import re

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from checklists.models import BlockerReason, ChecklistStep, ChecklistTemplate
from demo.services import ORGANIZATION_SLUG, PROGRAM_SLUG, demo_load
from programs.models import Program
from reports.models import Indicator
from surveys.models import Answer, Choice, Question, Survey


def our_indonesian():
    """Each Indonesian sentence of our catalog that differs from its English."""
    po = polib.pofile(str(settings.BASE_DIR / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    sentences = {
        e.msgstr for e in po.translated_entries() if e.msgstr != e.msgid and " " in e.msgstr
    }
    # "%(count)d peserta" is looked for as "<anything> peserta"; each sentence
    # keeps its literal parts too, a cheap test before the regular expression.
    patterns = {}
    for sentence in sentences:
        parts = re.split(r"%\(\w+\)[sd]|%[sd]", sentence)
        if len("".join(parts).strip()) >= 8:
            regex = re.compile(".+?".join(re.escape(part) for part in parts))
            patterns[sentence] = ([p for p in parts if p], regex)
    return patterns


def typed_by_people():
    texts = []
    program = Program.objects.get(slug=PROGRAM_SLUG)
    texts += [program.name, program.description, program.village, program.district]
    texts += list(program.sessions.values_list("title", flat=True))
    for model, fields in [
        (Indicator, ["label", "success_phrase", "failure_phrase"]),
        (ChecklistTemplate, ["name"]),
        (ChecklistStep, ["title"]),
        (BlockerReason, ["label"]),
        (Survey, ["title"]),
        (Question, ["text"]),
        (Choice, ["label"]),
        (Answer, ["text"]),
    ]:
        present = [f for f in fields if f in {x.name for x in model._meta.fields}]
        for row in model.objects.values_list(*present):
            texts += [t for t in row if t]
    return sorted(set(texts), key=len, reverse=True)


def untranslated(text):
    text = re.sub(r"\s+", " ", text)
    for typed in typed_by_people():
        text = text.replace(re.sub(r"\s+", " ", typed), " ")
    return sorted(
        sentence
        for sentence, (parts, pattern) in our_indonesian().items()
        if all(part in text for part in parts) and pattern.search(text)
    )


@pytest.fixture
def demo(db, client):
    demo_load()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="koordinator"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def page_text(response):
    assert response.status_code == 200
    return re.sub(r"<[^>]+>", "\n", response.content.decode())


def test_report_page_in_english(client, demo):
    text = page_text(client.get(reverse("program_report", args=[PROGRAM_SLUG]), {"annex": "1"}))

    assert "Evaluation report" in text
    assert untranslated(text) == []


def test_rollup_page_in_english(client, demo):
    text = page_text(client.get(reverse("organization_rollup", args=[ORGANIZATION_SLUG])))

    assert untranslated(text) == []


def test_report_command_in_english(demo, tmp_path):
    output = tmp_path / "report.pdf"

    call_command(
        "report",
        PROGRAM_SLUG,
        "--language",
        "en",
        "--annex",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )

    text = "\n".join(page.extract_text() for page in PdfReader(output).pages)
    assert "EVALUATION REPORT" in text
    assert untranslated(text) == []


def test_the_check_finds_our_indonesian_in_the_indonesian_report(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"

    text = page_text(client.get(reverse("program_report", args=[PROGRAM_SLUG])))

    assert {"Alasan utama", "Unduh PDF"} <= set(untranslated(text))
