"""Exact query counts of the checklist pages at 1 and 3 participants."""

from django.urls import reverse

from tests.pages import names_of, names_on


def test_checklist_grid(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)
    url = reverse("checklist_grid", args=[sized_program.program.slug, sized_program.template.pk])

    with django_assert_num_queries(7):  # 6 once the template's parts are cached
        response = client.get(url)

    assert names_on(response) == names_of(sized_program)


def test_program_checklists(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)

    with django_assert_num_queries(7):
        response = client.get(reverse("program_checklists", args=[sized_program.program.slug]))

    assert [(s.pk, s.n_tracks, s.n_completed) for s in response.context["summaries"]] == [
        (sized_program.template.pk, len(sized_program.enrollments), 0)
    ]


def test_participant_checklists(login, sized_program, django_assert_num_queries):
    enrollment = sized_program.enrollments[-1]
    client = login(sized_program.facilitator)
    url = reverse(
        "participant_checklists", args=[enrollment.program.slug, enrollment.participant_id]
    )

    with django_assert_num_queries(10):
        response = client.get(url)
    with django_assert_num_queries(9):  # the template's steps and reasons cached
        client.get(url)

    assert len(response.context["tracks"]) == 1


def test_template_list(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)

    with django_assert_num_queries(7):
        response = client.get(reverse("template_list"))

    assert [t.pk for t in response.context["templates"]] == [sized_program.template.pk]


def test_template_detail(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)

    with django_assert_num_queries(14):
        response = client.get(sized_program.template.get_absolute_url())

    assert [s.reached for s in response.context["funnel"].steps] == [
        len(sized_program.enrollments)
    ] * 2 + [0]
