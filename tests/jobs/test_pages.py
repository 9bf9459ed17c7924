"""The job list's query count at 1 and 3 jobs, and retrying a failed job from its page."""

import pytest
from django.urls import reverse

from jobs.enums import JobStatus
from jobs.models import Job
from tests.factories import OrganizationMembershipFactory, ProgramFactory
from tests.pages import messages_of


def jobs(organization, n, status=JobStatus.DONE):
    return [
        Job.objects.create(
            organization=organization, kind="tests.none", title=f"Rekap {i}", status=status
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("size", [1, 3])
def test_job_list_query_count(client, db, size, django_assert_num_queries):
    organization = ProgramFactory().organization
    jobs(organization, size)
    client.force_login(OrganizationMembershipFactory(organization=organization).user)

    with django_assert_num_queries(5):
        response = client.get(reverse("job_list"))

    assert sorted(j.title for j in response.context["jobs"]) == [f"Rekap {i}" for i in range(size)]


def test_a_failed_job_is_queued_again_from_its_page(client, db, django_capture_on_commit_callbacks):
    organization = ProgramFactory().organization
    (failed,) = jobs(organization, 1, status=JobStatus.FAILED)
    (done,) = jobs(organization, 1)
    client.force_login(OrganizationMembershipFactory(organization=organization).user)

    with django_capture_on_commit_callbacks() as queued:
        retried = client.post(reverse("job_retry", args=[failed.pk]))
        untouched = client.post(reverse("job_retry", args=[done.pk]))

    failed.refresh_from_db()
    done.refresh_from_db()
    assert (retried.url, untouched.url) == (failed.get_absolute_url(), done.get_absolute_url())
    assert (failed.status, done.status, len(queued)) == (JobStatus.QUEUED, JobStatus.DONE, 1)
    assert messages_of(untouched) == ["Pekerjaan ini diantrekan lagi."]  # the retry only
