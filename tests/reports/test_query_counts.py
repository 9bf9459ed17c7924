"""Exact query counts of the report pages at 1 and 3 participants."""

from django.urls import reverse

from tests.factories import OrganizationMembershipFactory
from tests.pages import names_of, names_on


def test_program_report_with_annex(login, sized_program, django_assert_num_queries):
    client = login(sized_program.coordinator)

    with django_assert_num_queries(30):
        response = client.get(
            reverse("program_report", args=[sized_program.program.slug]), {"annex": "1"}
        )

    assert names_on(response) == names_of(sized_program)


def test_organization_rollup(login, sized_program, django_assert_num_queries):
    organization = sized_program.program.organization
    client = login(OrganizationMembershipFactory(organization=organization).user)

    with django_assert_num_queries(17):
        response = client.get(reverse("organization_rollup", args=[organization.slug]))

    assert [r.enrolled for r in response.context["table"].rows] == [len(sized_program.enrollments)]


def test_indicator_list(login, sized_program, django_assert_num_queries):
    client = login(sized_program.coordinator)

    with django_assert_num_queries(14):
        response = client.get(reverse("indicator_list", args=[sized_program.program.slug]))

    assert len(response.context["indicators"]) == 3
