"""Exact query counts of the program, session and attendance pages at 1 and 3 participants."""

from django.urls import reverse

from tests.pages import names_of, names_on


def test_home(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)

    with django_assert_num_queries(6):  # … today's sessions and coordinated organizations
        response = client.get(reverse("home"))

    assert [(p.slug, p.participant_count) for p in response.context["programs"]] == [
        (sized_program.program.slug, len(sized_program.enrollments))
    ]


def test_program_page(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)

    with django_assert_num_queries(7):
        response = client.get(reverse("program_detail", args=[sized_program.program.slug]))

    assert names_on(response) == names_of(sized_program)


def test_session_page_roll_call(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)

    with django_assert_num_queries(7):
        response = client.get(sized_program.session.get_absolute_url())

    assert names_on(response) == names_of(sized_program)


def test_program_attendance(login, sized_program, django_assert_num_queries):
    client = login(sized_program.facilitator)

    with django_assert_num_queries(6):
        response = client.get(reverse("program_attendance", args=[sized_program.program.slug]))

    assert names_on(response) == names_of(sized_program)


def test_attendance_history(login, sized_program, django_assert_num_queries):
    session = sized_program.session
    client = login(sized_program.coordinator)

    with django_assert_num_queries(5):
        response = client.get(
            reverse("attendance_history", args=[session.program.slug, session.pk])
        )

    assert names_on(response) == names_of(sized_program)
