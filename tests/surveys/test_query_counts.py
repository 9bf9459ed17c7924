"""Exact query counts of the survey pages at 1 and 3 participants."""

from django.urls import reverse

from tests.pages import names_of, names_on


def survey_url(name, sized):
    return reverse(name, args=[sized.program.slug, sized.survey.pk])


def test_survey_list(login, sized_program, django_assert_num_queries):
    client = login(sized_program.coordinator)

    with django_assert_num_queries(5):
        response = client.get(reverse("survey_list", args=[sized_program.program.slug]))

    assert [s.pk for s in response.context["surveys"]] == [sized_program.survey.pk]


def test_survey_results(login, sized_program, django_assert_num_queries):
    client = login(sized_program.coordinator)

    with django_assert_num_queries(8):
        response = client.get(survey_url("survey_results", sized_program))

    assert [r.answered for r in response.context["results"]] == [len(sized_program.enrollments)] * 6


def test_survey_respondents(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)

    with django_assert_num_queries(5):
        response = client.get(survey_url("survey_respondents", sized_program))

    assert names_on(response) == names_of(sized_program)
