"""Exact query counts of the report pages at 1 and 3 participants, and the
program report's count whatever its number of surveys, checklists and indicators."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import selectors
from reports.enums import Population, SuccessSource
from reports.word import program_report_docx_bytes
from tests.factories import (
    SURVEY_OF_EVERY_KIND,
    ChecklistTemplateFactory,
    OrganizationMembershipFactory,
    SurveyFactory,
    TrackFactory,
    program_of_size,
)
from tests.pages import names_of, names_on

# The program report page: the session, the user, the program with the report's single
# figures (settings, enrolled, training day, mentoring), then the report. Counted on a
# second view: the configuration lists that rarely change are cached by then.
REPORT_QUERIES = {"plain": 13, "annex": 14, "as_of": 14}
# The same report read for the PDF and the DOCX (no session or user).
DOCUMENT_QUERIES = {"plain": 11, "annex": 12, "as_of": 12}
# A view that finds none of them cached (after the checklists' steps or reasons, or the
# photos or signatories, changed; or in a new process without a shared cache) reads
# them all, whatever the number of checklists, in one more query.
CACHED_LISTS = 1


def _report_params(kind):
    if kind == "annex":
        return {"annex": "1"}
    if kind == "as_of":
        return {"as_of": timezone.localdate().isoformat()}
    return {}


@pytest.mark.parametrize("cached", [True, False], ids=["warm", "cold"])
def test_program_report_with_annex(cached, login, sized_program, django_assert_num_queries):
    client = login(sized_program.coordinator)
    url = reverse("program_report", args=[sized_program.program.slug])
    client.get(url, {"annex": "1"})
    if not cached:
        cache.clear()

    with django_assert_num_queries(REPORT_QUERIES["annex"] + (0 if cached else CACHED_LISTS)):
        response = client.get(url, {"annex": "1"})

    assert names_on(response) == names_of(sized_program)


@pytest.mark.parametrize("cached", [True, False], ids=["warm", "cold"])
@pytest.mark.parametrize("kind", ["plain", "as_of"])
def test_program_report(kind, cached, login, sized_program, django_assert_num_queries):
    client = login(sized_program.coordinator)
    url = reverse("program_report", args=[sized_program.program.slug])
    client.get(url, _report_params(kind))
    if not cached:
        cache.clear()

    with django_assert_num_queries(REPORT_QUERIES[kind] + (0 if cached else CACHED_LISTS)):
        response = client.get(url, _report_params(kind))

    assert response.context["enrolled"] == len(sized_program.enrollments)


@pytest.mark.parametrize("cached", [True, False], ids=["warm", "cold"])
@pytest.mark.parametrize("kind", ["plain", "annex", "as_of"])
def test_program_report_pdf_and_docx(kind, cached, sized_program, django_assert_num_queries):
    params = _report_params(kind)
    as_of = timezone.localdate() if "as_of" in params else None
    selectors.program_report(sized_program.program, annex="annex" in params, as_of=as_of)
    if not cached:
        cache.clear()

    with django_assert_num_queries(DOCUMENT_QUERIES[kind] + (0 if cached else CACHED_LISTS)):
        context = selectors.program_report(
            sized_program.program, annex="annex" in params, as_of=as_of
        )
        html = render_to_string("reports/program_report_pdf.html", context)
        docx = program_report_docx_bytes(context)

    assert (sized_program.program.name in html, docx[:2]) == (True, b"PK")


def _answered_survey(sized):
    """Another survey of every kind of question, answered by everyone."""
    from surveys.services import response_save

    survey = SurveyFactory(program=sized.program, questions=SURVEY_OF_EVERY_KIND)
    questions = list(survey.questions.prefetch_related("choices").order_by("position"))
    for i, enrollment in enumerate(sized.enrollments):
        response_save(
            survey=survey,
            participant=enrollment.participant,
            channel="assisted",
            by=sized.facilitator,
            answers={
                questions[0]: [list(questions[0].choices.all())[1]],
                questions[1]: [list(questions[1].choices.all())[0]],
                questions[4]: Decimal(i + 2),
                questions[5]: f"Saran lain {i}",
            },
        )
    return survey


def _followed_template(sized):
    """Another checklist everyone follows: a step done, the next blocked."""
    from checklists.services import current_steps, progress_mark

    template = ChecklistTemplateFactory(organization=sized.program.organization)
    first, second, *_rest = current_steps(template)
    reason = template.blocker_reasons.order_by("position").first()
    for enrollment in sized.enrollments:
        track = TrackFactory(enrollment=enrollment, template=template)
        progress_mark(track=track, step=first, state="done", by=sized.facilitator)
        progress_mark(
            track=track, step=second, state="blocked", reason=reason, by=sized.facilitator
        )
    return template


def _indicators_on(sized, survey, template):
    """One more indicator of each kind Table 1 already has, on the new survey and checklist."""
    from reports.services import indicator_save

    question = survey.questions.order_by("position").first()
    indicator_save(
        program=sized.program,
        label=f"Selesai {template.name}",
        success_phrase="selesai",
        failure_phrase="belum",
        source=SuccessSource.CHECKLIST_COMPLETE,
        templates=[template],
        reason_source="checklist",
    )
    indicator_save(
        program=sized.program,
        label=f"Menjawab ya {survey.title}",
        success_phrase="ya",
        failure_phrase="belum",
        source=SuccessSource.SURVEY_ANSWER,
        question=question,
        success_choices=[question.choices.order_by("position").first()],
        population=Population.ANSWERED_SURVEY,
        population_survey=survey,
        reason_source="survey_question",
        reason_question=survey.questions.order_by("position")[1],
    )


def _complete_a_track(sized):
    from checklists.services import current_steps, progress_mark

    track = sized.enrollments[0].tracks.get(template=sized.template)
    for step in current_steps(sized.template):
        progress_mark(track=track, step=step, state="done", by=sized.facilitator)
    track.refresh_from_db()
    assert track.completed_at is not None


def _report_queries(client, program, kind):
    """Queries of the first view and of the next."""
    counts = []
    for _view in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse("program_report", args=[program.slug]), _report_params(kind)
            )
        assert response.status_code == 200
        counts.append(len(queries))
    return tuple(counts)


@pytest.mark.parametrize("kind", ["plain", "annex", "as_of"])
def test_program_report_count_is_the_same_with_more_surveys_checklists_indicators(kind, login, db):
    sized = program_of_size(1)
    client = login(sized.coordinator)
    counts = {"1 survey, 1 checklist": _report_queries(client, sized.program, kind)}
    surveys = [_answered_survey(sized), _answered_survey(sized)]
    counts["3 surveys, 1 checklist"] = _report_queries(client, sized.program, kind)
    template = _followed_template(sized)
    counts["3 surveys, 2 checklists"] = _report_queries(client, sized.program, kind)
    _indicators_on(sized, surveys[0], template)
    counts["3 surveys, 2 checklists, 5 indicators"] = _report_queries(client, sized.program, kind)
    _complete_a_track(sized)
    counts["... and a checklist completed"] = _report_queries(client, sized.program, kind)

    # A new checklist is read once, with the lists of the checklists already cached.
    cached = REPORT_QUERIES[kind]
    assert counts == {
        "1 survey, 1 checklist": (cached + CACHED_LISTS, cached),
        "3 surveys, 1 checklist": (cached, cached),
        "3 surveys, 2 checklists": (cached + CACHED_LISTS, cached),
        "3 surveys, 2 checklists, 5 indicators": (cached, cached),
        "... and a checklist completed": (cached, cached),
    }


@pytest.mark.parametrize("cached", [True, False], ids=["warm", "cold"])
def test_organization_rollup(cached, login, sized_program, django_assert_num_queries):
    organization = sized_program.program.organization
    client = login(OrganizationMembershipFactory(organization=organization).user)
    url = reverse("organization_rollup", args=[organization.slug])
    client.get(url)
    if not cached:
        cache.clear()

    # The roll-up reads no cached list: a cold view costs what a warm one does.
    with django_assert_num_queries(10):
        response = client.get(url)

    assert [r.enrolled for r in response.context["table"].rows] == [len(sized_program.enrollments)]


def test_indicator_list(login, sized_program, django_assert_num_queries):
    client = login(sized_program.coordinator)

    with django_assert_num_queries(14):
        response = client.get(reverse("indicator_list", args=[sized_program.program.slug]))

    assert len(response.context["indicators"]) == 3
