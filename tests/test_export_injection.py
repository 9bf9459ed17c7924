"""Finding 4: formulas in export headers and after a "," or ";" separator, help-text HTML."""

import csv
import io
import re

import pytest
from django.urls import reverse

from pkk_training.exports import FORMULA_TRIGGERS, safe_cell
from surveys import services as survey_services
from tests.factories import (
    EnrollmentFactory,
    IndicatorFactory,
    OrganizationMembershipFactory,
    SurveyFactory,
)

ATTACKS = ["x;=1+1;y", "x,=1+1,y", "Siti; -2+3", "a,@SUM(1)", '=HYPERLINK("http://evil")']


def pieces(text):
    """How a spreadsheet that ignores quotes splits a line: on "," or on ";"."""
    return [piece for separator in ",;" for piece in text.split(separator)]


def live_formula(text):
    return any(piece.lstrip(" ").startswith(FORMULA_TRIGGERS) for piece in pieces(text))


@pytest.mark.parametrize("attack", ATTACKS)
def test_no_piece_of_a_neutralised_cell_starts_a_formula(attack):
    assert live_formula(attack)
    assert not live_formula(safe_cell(attack))


def test_plain_text_and_numbers_pass_unchanged():
    assert [safe_cell(v) for v in ["Siti, Bu", "a;b", 3, None]] == ["Siti, Bu", "a;b", 3, ""]


def _csv_lines(response):
    return response.content.decode("utf-8-sig").splitlines()


def test_participant_csv_quotes_every_field_and_splits_into_no_formula(login, coordinator, program):
    EnrollmentFactory(program=program, participant__full_name="x;=1+1;y")

    response = login(coordinator).get(reverse("participant_export", args=[program.slug, "csv"]))

    lines = _csv_lines(response)
    assert all(re.fullmatch(r'"[^"]*"(,"[^"]*")*', line) for line in lines)
    assert not any(live_formula(line.replace('"', "")) for line in lines[1:])
    assert list(csv.reader(io.StringIO(lines[1])))[0][0] == "'x;'=1+1;y"
    assert response["Cache-Control"] == "no-store, private"


def test_survey_question_text_in_the_header_is_neutralised_in_csv_and_xlsx(
    login, coordinator, program, enrollment
):
    from openpyxl import load_workbook

    survey = SurveyFactory(
        program=program, questions=[{"kind": "short_text", "text": '=HYPERLINK("http://x")'}]
    )
    survey_services.response_save(
        survey=survey,
        participant=enrollment.participant,
        channel="assisted",
        answers={survey.questions.get(): "ok;=1+1"},
    )
    client = login(coordinator)

    csv_response = client.get(reverse("survey_export", args=[program.slug, survey.pk, "csv"]))
    xlsx_response = client.get(reverse("survey_export", args=[program.slug, survey.pk, "xlsx"]))

    header, row = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert (header[3], row[3]) == ('\'=HYPERLINK("http://x")', "'ok;'=1+1")
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [sheet.cell(1, 4).value, sheet.cell(2, 4).value] == [
        '\'=HYPERLINK("http://x")',
        "'ok;'=1+1",
    ]
    assert sheet.cell(1, 4).data_type == "s"
    assert xlsx_response["Cache-Control"] == "no-store, private"


def test_indicator_label_in_the_rollup_header_is_neutralised(login, program):
    from openpyxl import load_workbook

    IndicatorFactory(program=program, label="=1+1")
    coordinator = OrganizationMembershipFactory(organization=program.organization).user

    response = login(coordinator).get(
        reverse("organization_rollup_xlsx", args=[program.organization.slug])
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    # One column each for successes, base and percentage, each named after the label.
    assert [v for v in header if "1+1" in str(v)] == [
        "'=1+1: berhasil",
        "'=1+1: dihitung",
        "'=1+1: %",
    ]
    assert not any(str(v).startswith(FORMULA_TRIGGERS) for v in header if v)


def test_help_text_html_is_shown_as_text_on_the_public_page(client, program):
    survey = SurveyFactory(program=program)
    question = survey.questions.get()
    question.help_text = '<meta http-equiv="refresh" content="0;url=https://evil.example"><a href="https://evil.example">x</a>'
    question.save()

    html = client.get(reverse("survey_public", args=[survey.public_token])).content.decode()

    assert "<meta http-equiv" not in html
    assert '<a href="https://evil.example">' not in html
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in html
