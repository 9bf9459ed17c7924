"""Two indicators measuring the same thing from two sources are shown side by side."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from reports import selectors, services
from reports.enums import Population, SuccessSource
from tests.factories import IndicatorFactory, ProgramFactory
from tests.reports.test_as_of import EVALUATION_DAY, finish_one_affiliate_track_now
from tests.reports.test_reports import text_of

ACCOUNT = "Apakah Ibu sudah berhasil membuat akun TikTok Affiliate?"


def survey_twin_of_the_checklist(demo):
    checklist = demo.indicators.get(source=SuccessSource.CHECKLIST_COMPLETE)
    survey = demo.surveys.get()
    question = survey.questions.get(text=ACCOUNT)
    return services.indicator_save(
        program=demo,
        label="Peserta yang menjawab sudah membuat akun",
        success_phrase="peserta menjawab sudah membuat akun TikTok Affiliate",
        failure_phrase="belum",
        source=SuccessSource.SURVEY_ANSWER,
        question=question,
        success_choices=[question.choices.get(value="yes")],
        population=Population.ANSWERED_SURVEY,
        population_survey=survey,
        twin=checklist,
    )


def test_the_checklist_and_the_survey_are_shown_together_with_their_difference(demo):
    survey_twin_of_the_checklist(demo)
    finish_one_affiliate_track_now(demo)

    then = selectors.program_report(demo, as_of=EVALUATION_DAY)["twins"]
    now = selectors.program_report(demo)["twins"]

    assert [[(r.numerator, r.denominator) for r in pair.results] for pair in then] == [
        [(9, 20), (9, 20)]
    ]
    assert [pair.note for pair in then] == ["Kedua sumber sama: 45% (9 dari 20)."]
    assert [pair.note for pair in now] == [
        "Kedua sumber berbeda 5 poin persentase: daftar periksa selesai (salah satu yang dipilih) "
        "memberi 50% (10 dari 20), jawaban survei 45% (9 dari 20). Orang yang dihitung sama: "
        "bedanya ada pada apa yang dicatat, mis. langkah yang selesai setelah survei diisi."
    ]


def test_the_pair_is_in_the_pdf_and_the_docx(login, demo):
    survey_twin_of_the_checklist(demo)
    finish_one_affiliate_track_now(demo)
    client = login(demo.memberships.get(role="coordinator").user)

    pdf = text_of(client.get(reverse("program_report_pdf", args=[demo.slug])).content)
    docx = Document(
        io.BytesIO(client.get(reverse("program_report_docx", args=[demo.slug])).content)
    )
    html = client.get(reverse("program_report", args=[demo.slug])).content.decode()

    assert "Satu ukuran, dua sumber" in pdf
    assert "Kedua sumber berbeda 5 poin persentase" in pdf
    assert "Satu ukuran, dua sumber" in [p.text for p in docx.paragraphs]
    assert any(p.text.startswith("Kedua sumber berbeda 5 poin") for p in docx.paragraphs)
    assert 'id="twins"' in html


def test_a_twin_must_be_another_indicator_of_the_program(db):
    program = ProgramFactory()
    indicator = IndicatorFactory(program=program)
    elsewhere = IndicatorFactory()

    with pytest.raises(ValidationError) as other_program:
        services.indicator_save(program=program, indicator=indicator, twin=elsewhere)
    with pytest.raises(ValidationError) as itself:
        services.indicator_save(program=program, indicator=indicator, twin=indicator)

    assert other_program.value.message_dict == {"twin": ["Pilih indikator lain dari program ini."]}
    assert itself.value.message_dict == other_program.value.message_dict
