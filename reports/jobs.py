"""Report work too long for a request, run by a worker (see jobs/)."""

import io
import zipfile

from django.utils import translation
from django.utils.translation import gettext as _

from jobs.services import job_start
from pkk_training.pdf import render_pdf
from programs.models import Program
from reports import rollup, selectors

ORGANIZATION_PDFS = "reports.organization_pdfs"


def organization_pdfs_start(*, organization, programs, filters, by, language):
    """Queue one PDF per program plus the roll-up, zipped; the programs are fixed now,
    as the user may see them, so the job never widens what they may read."""
    program_ids = list(filters.apply(programs).order_by("name").values_list("pk", flat=True))
    return job_start(
        organization=organization,
        kind=ORGANIZATION_PDFS,
        title=_("Reports of %(count)d programs of %(organization)s")
        % {"count": len(program_ids), "organization": organization.name},
        by=by,
        params={"programs": program_ids, "language": language},
    )


def organization_pdfs(job, progress):
    program_ids = job.params.get("programs", [])
    programs = Program.objects.filter(pk__in=program_ids, organization=job.organization).order_by(
        "name"
    )
    total = len(program_ids) + 1
    buffer = io.BytesIO()
    with (
        translation.override(job.params.get("language", "id")),
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        # One program at a time: memory stays flat however many programs there are.
        for done, program in enumerate(programs.iterator(), start=1):
            context = selectors.program_report(program, annex=False)
            archive.writestr(
                f"{program.slug}.pdf", render_pdf("reports/program_report_pdf.html", context)
            )
            progress(done, total)
        table = rollup.rollup(job.organization, programs, rollup.RollupFilters())
        archive.writestr(
            f"rekap-{job.organization.slug}.pdf",
            render_pdf(
                "reports/rollup_pdf.html",
                {"organization": job.organization, "table": table, "query": ""},
            ),
        )
        progress(total, total)
    return f"laporan-{job.organization.slug}.zip", buffer.getvalue()
