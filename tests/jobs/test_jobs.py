import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jobs import registry, services
from jobs.enums import JobStatus
from jobs.models import Job
from tests.factories import (
    MembershipFactory,
    OrganizationMembershipFactory,
    ProgramFactory,
    UserFactory,
)


@pytest.fixture
def counting_runner():
    calls = []

    def runner(job, progress):
        calls.append(job.pk)
        progress(1, 2)
        progress(2, 2)
        return "hasil.txt", b"isi"

    registry.register("tests.counting", runner)
    yield calls
    del registry.runners["tests.counting"]


@pytest.mark.django_db
def test_a_job_runs_once_even_when_its_task_is_delivered_twice(counting_runner):
    organization = ProgramFactory().organization
    job = services.job_start(organization=organization, kind="tests.counting", title="t", by=None)

    services.job_run(job_id=job.pk)
    services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert counting_runner == [job.pk]
    assert (job.status, job.done, job.total, job.result_name) == (JobStatus.DONE, 2, 2, "hasil.txt")
    assert job.result.read() == b"isi"


@pytest.mark.django_db
def test_a_failing_job_says_so_and_can_be_retried(counting_runner):
    organization = ProgramFactory().organization
    registry.register("tests.failing", lambda job, progress: 1 / 0)
    job = services.job_start(organization=organization, kind="tests.failing", title="t", by=None)

    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "division by zero")

    assert services.job_retry(job=job) is True
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.QUEUED, "")
    del registry.runners["tests.failing"]


@pytest.mark.django_db
def test_an_unknown_kind_is_refused():
    organization = ProgramFactory().organization

    with pytest.raises(ValueError):
        services.job_start(organization=organization, kind="nope", title="t", by=None)

    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_organization_pdfs_job_zips_a_pdf_per_visible_program_and_the_rollup(
    client, django_capture_on_commit_callbacks
):
    first = ProgramFactory(name="Alpha", slug="alpha", regency="Way Kanan")
    organization = first.organization
    ProgramFactory(organization=organization, name="Beta", slug="beta", regency="Way Kanan")
    ProgramFactory(
        organization=organization,
        name="Gamma",
        slug="gamma",
        regency="Lampung Barat",
        regency_code="18.04",
        district_code="18.04.08",
    )
    coordinator = OrganizationMembershipFactory(organization=organization).user
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organization_rollup_job", args=[organization.slug]),
            {"regency": "18.08"},
        )

    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("job_detail", args=[job.pk])
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == ["alpha.pdf", "beta.pdf", f"rekap-{organization.slug}.pdf"]
    rollup_text = (
        PdfReader(io.BytesIO(archive.read(f"rekap-{organization.slug}.pdf")))
        .pages[0]
        .extract_text()
    )
    assert "Alpha" in rollup_text and "Beta" in rollup_text and "Gamma" not in rollup_text


@pytest.mark.django_db
def test_a_facilitators_job_covers_only_her_programs(client, django_capture_on_commit_callbacks):
    mine = ProgramFactory(slug="mine")
    ProgramFactory(organization=mine.organization, slug="not-mine")
    facilitator = MembershipFactory(program=mine, role="facilitator").user
    client.force_login(facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organization_rollup_job", args=[mine.organization.slug]))

    job = Job.objects.get()
    assert job.params["programs"] == [mine.pk]
    names = zipfile.ZipFile(job.result.open("rb")).namelist()
    assert sorted(names) == ["mine.pdf", f"rekap-{mine.organization.slug}.pdf"]


@pytest.mark.django_db
def test_job_pages_are_for_its_organizations_coordinators_and_its_starter(client, counting_runner):
    program = ProgramFactory()
    starter = MembershipFactory(program=program, role="facilitator").user
    job = services.job_start(
        organization=program.organization, kind="tests.counting", title="Rekap", by=starter
    )
    services.job_run(job_id=job.pk)
    coordinator = OrganizationMembershipFactory(organization=program.organization).user
    colleague = MembershipFactory(program=program, role="facilitator").user
    stranger = UserFactory()

    statuses = {}
    for name, user in {
        "starter": starter,
        "coordinator": coordinator,
        "colleague": colleague,
        "stranger": stranger,
    }.items():
        client.force_login(user)
        statuses[name] = (
            client.get(reverse("job_detail", args=[job.pk])).status_code,
            client.get(reverse("job_download", args=[job.pk])).status_code,
        )

    assert statuses == {
        "starter": (200, 200),
        "coordinator": (200, 200),
        "colleague": (404, 404),
        "stranger": (404, 404),
    }


@pytest.mark.django_db
def test_a_running_job_page_polls_and_a_finished_one_stops(client, counting_runner):
    program = ProgramFactory()
    user = OrganizationMembershipFactory(organization=program.organization).user
    job = services.job_start(
        organization=program.organization, kind="tests.counting", title="Rekap", by=user
    )
    client.force_login(user)

    waiting = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    services.job_run(job_id=job.pk)
    done = client.get(reverse("job_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 3s"' in waiting
    assert "hx-trigger" not in done
    assert reverse("job_download", args=[job.pk]) in done
    assert client.get(reverse("job_list")).content.decode().count("Rekap") == 1


@pytest.mark.django_db
def test_a_result_the_storage_lost_is_a_404_not_a_500(client, counting_runner):
    program = ProgramFactory()
    user = OrganizationMembershipFactory(organization=program.organization).user
    job = services.job_start(
        organization=program.organization, kind="tests.counting", title="Rekap", by=user
    )
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    job.result.storage.delete(job.result.name)
    client.force_login(user)

    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
