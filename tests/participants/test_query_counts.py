"""Exact query counts of the participant pages at 1 and 3 participants."""

from django.urls import reverse

from tests.pages import names_of, names_on


def test_participant_list(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)

    with django_assert_num_queries(5):
        response = client.get(reverse("participant_list", args=[sized_program.program.slug]))

    assert names_on(response) == names_of(sized_program)


def test_participant_search(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)

    with django_assert_num_queries(5):
        response = client.get(
            reverse("participant_list", args=[sized_program.program.slug]),
            {"q": "Peserta"},
            HTTP_HX_REQUEST="true",
        )

    assert names_on(response) == names_of(sized_program)


def test_participant_page(login, sized_program, django_assert_num_queries):
    enrollment = sized_program.enrollments[0]
    client = login(sized_program.facilitator)

    with django_assert_num_queries(6):
        response = client.get(
            reverse("participant_detail", args=[enrollment.program.slug, enrollment.participant_id])
        )

    assert names_on(response) == ["Peserta 00"]


def test_import_history(login, sized_program, django_assert_num_queries):
    client = login(sized_program.coordinator)

    with django_assert_num_queries(4):
        response = client.get(
            reverse("participant_import_history", args=[sized_program.program.slug])
        )

    assert [i.file_name for i in response.context["imports"]] == [
        f"desa-{i}.csv" for i in reversed(range(len(sized_program.enrollments)))
    ]
