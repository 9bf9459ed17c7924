import io

from django.urls import reverse
from pypdf import PdfReader

from certificates import selectors, services
from certificates.jobs import verify_url_maker
from certificates.models import Certificate, CertificateSettings
from jobs.enums import JobStatus
from jobs.models import Job
from sessions.services import attendance_mark
from tests.factories import EnrollmentFactory, TrainingSessionFactory

VERIFY = verify_url_maker("http://testserver")


def _present(program, by, count):
    session = TrainingSessionFactory(program=program)
    enrollments = [
        EnrollmentFactory(program=program, enrolled_on=session.date) for _ in range(count)
    ]
    for enrollment in enrollments:
        attendance_mark(session=session, enrollment=enrollment, status="present", by=by)
    return enrollments


def test_certificate_list_queries(login, sized_program, django_assert_num_queries):
    program = sized_program.program
    services.certificate_settings_update(
        program=program, min_sessions=1, checklist=sized_program.template
    )
    services.certificates_generate(program=program, by=None, verify_url=VERIFY)
    client = login(sized_program.coordinator)

    with django_assert_num_queries(10):
        response = client.get(reverse("certificate_list", args=[program.slug]))

    assert len(response.context["rows"]) == len(sized_program.enrollments)


def test_settings_form_saves_the_rule_and_refuses_a_bad_format(login, program, coordinator):
    client = login(coordinator)
    url = reverse("certificate_settings", args=[program.slug])
    data = {"min_sessions": 2, "title": "SERTIFIKAT", "statement": "telah mengikuti"}

    bad = client.post(url, {**data, "number_format": "{nomor}/{program.__class__}"})
    good = client.post(url, {**data, "number_format": "{nomor}/PKK/{tahun}"})

    assert bad.status_code == 200
    assert "Penanda tidak dikenal: {program.__class__}." in bad.content.decode()
    assert good.status_code == 302
    saved = CertificateSettings.objects.get(program=program)
    assert (saved.min_sessions, saved.number_format) == (2, "{nomor}/PKK/{tahun}")


def test_generate_runs_as_a_job_whose_pdf_holds_every_certificate(
    login, program, coordinator, django_capture_on_commit_callbacks
):
    enrollments = _present(program, coordinator, 3)
    services.certificate_settings_update(program=program, min_sessions=1)
    client = login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates_generate", args=[program.slug]))
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("certificates_generate", args=[program.slug]))

    job = Job.objects.order_by("created_at").first()
    assert response.url == job.get_absolute_url()
    assert again.status_code == 302
    assert (job.status, job.kind) == (JobStatus.DONE, "certificates.generate")
    assert Certificate.objects.filter(program=program).count() == 3
    reader = PdfReader(io.BytesIO(job.result.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) == 3
    for enrollment in enrollments:
        assert enrollment.participant.full_name in text
    assert "http://testserver/v/" in text


def test_revoke_needs_a_reason_and_shows_on_the_list(login, program, coordinator):
    _present(program, coordinator, 1)
    services.certificate_settings_update(program=program, min_sessions=1)
    (certificate,) = services.certificates_generate(
        program=program, by=coordinator, verify_url=VERIFY
    )
    client = login(coordinator)
    url = reverse("certificate_revoke", args=[program.slug, certificate.pk])

    client.post(url, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    client.post(url, {"reason": "Nama salah ketik"})

    certificate.refresh_from_db()
    assert (certificate.revoked_reason, certificate.revoked_by) == ("Nama salah ketik", coordinator)
    html = client.get(reverse("certificate_list", args=[program.slug])).content.decode()
    assert "Nama salah ketik" in html
    assert selectors.eligibility(program).pending[0].enrollment == certificate.enrollment


def test_a_certificates_pdf_is_the_file_whose_hash_is_published(login, program, coordinator):
    import hashlib

    _present(program, coordinator, 1)
    services.certificate_settings_update(program=program, min_sessions=1)
    (certificate,) = services.certificates_generate(
        program=program, by=coordinator, verify_url=VERIFY
    )

    response = login(coordinator).get(
        reverse("certificate_pdf", args=[program.slug, certificate.pk])
    )

    assert hashlib.sha256(response.content).hexdigest() == certificate.sha256
