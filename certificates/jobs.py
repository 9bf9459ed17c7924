"""Certificates for a whole program, issued by a worker (see jobs/)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from certificates import rendering, selectors, services
from jobs.services import job_start
from programs.models import Program

GENERATE = "certificates.generate"


def certificates_generate_start(*, program, by, base_url, language):
    """`base_url` (https://host) prefixes the verification address printed on each page."""
    return job_start(
        organization=program.organization,
        kind=GENERATE,
        title=_("Certificates of %(program)s") % {"program": program.name},
        by=by,
        params={"program": program.pk, "base_url": base_url, "language": language},
    )


def verify_url_maker(base_url):
    return lambda code: base_url.rstrip("/") + reverse("certificate_verify", kwargs={"code": code})


def certificates_generate_job(job, progress):
    """Issue what is pending (nothing twice, even when retried), then hand out
    every valid certificate of the program as one PDF."""
    program = Program.objects.get(pk=job.params["program"], organization=job.organization)
    by = get_user_model().objects.filter(pk=job.created_by_id).first()
    batch = []
    with translation.override(job.params.get("language", "id")):
        verify_url = verify_url_maker(job.params["base_url"])
        issued = services.certificates_generate(
            program=program,
            by=by,
            verify_url=verify_url,
            progress=progress,
            on_document=batch.append,
        )
        certificates = list(selectors.program_certificates(program).filter(revoked_at__isnull=True))
        if batch and len(issued) == len(certificates):
            pdf = batch[0].write_pdf()  # all of them were just laid out: no second layout
        else:
            settings = selectors.certificate_settings(program)
            document = rendering.certificates_document(program, settings, certificates, verify_url)
            pdf = document.write_pdf()
    return f"sertifikat-{program.slug}.pdf", pdf
