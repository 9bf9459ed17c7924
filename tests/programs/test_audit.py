"""Finding 5: who exported or downloaded personal data, and for how many people."""

from django.urls import reverse

from programs.models import AuditEvent
from tests.factories import EnrollmentFactory, OrganizationMembershipFactory, SurveyFactory


def test_exports_and_the_annexed_report_are_logged_and_listed(login, coordinator, program):
    EnrollmentFactory.create_batch(3, program=program)
    survey = SurveyFactory(program=program)
    client = login(coordinator)

    client.get(reverse("participant_export", args=[program.slug, "csv"]))
    client.get(reverse("survey_export", args=[program.slug, survey.pk, "xlsx"]))
    client.get(reverse("program_report_pdf", args=[program.slug]))  # no annex: not personal
    client.get(reverse("program_report_pdf", args=[program.slug]) + "?annex=1")

    assert list(
        AuditEvent.objects.order_by("pk").values_list("user", "action", "detail", "people")
    ) == [
        (coordinator.pk, "export", "participants.csv", 3),
        (coordinator.pk, "export", f"answers {survey.title}.xlsx", 0),
        (coordinator.pk, "report_annex", f"laporan-{program.slug}.pdf", 3),
    ]
    org_coordinator = OrganizationMembershipFactory(organization=program.organization).user
    page = login(org_coordinator).get(
        reverse("organization_audit", args=[program.organization.slug])
    )
    assert [e.action for e in page.context["page"]] == ["report_annex", "export", "export"]


def test_the_log_page_makes_a_fixed_number_of_queries(login, program, django_assert_num_queries):
    org_coordinator = OrganizationMembershipFactory(organization=program.organization).user
    client = login(org_coordinator)
    url = reverse("organization_audit", args=[program.organization.slug])

    for size in (1, 3):
        AuditEvent.objects.all().delete()
        for i in range(size):
            AuditEvent.objects.create(
                organization=program.organization,
                program=program,
                user=org_coordinator,
                action="export",
                detail=f"x{i}",
                people=i,
            )
        with django_assert_num_queries(6):
            assert client.get(url).status_code == 200
