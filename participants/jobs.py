"""A confirmed import too large for a request, run by a worker (see jobs/)."""

import csv
import io

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.services import job_start
from participants import services
from participants.models import ParticipantImport, PendingImport

IMPORT = "participants.import"
# A confirmed file of more rows than this is imported by a worker, with a page
# that shows its progress: a request would time out on a slow server.
JOB_ROWS = 5_000


def participants_import_start(*, pending, by, valid_only, language):
    """Queue the import of a previewed upload, with the choices made in the preview."""
    program = pending.program
    return job_start(
        organization=program.organization,
        kind=IMPORT,
        title=_("Import of %(file)s into %(program)s")
        % {"file": pending.file_name, "program": program.name},
        by=by,
        params={
            "pending": pending.pk,
            "program": program.pk,
            "valid_only": valid_only,
            "language": language,
        },
    )


def participants_import_job(job, progress):
    """Import the upload all or nothing, then hand out a summary with the rows left out.

    Safe to run twice: the upload is deleted, and the record's id kept on the
    job, in the import's own transaction; a second run finds the upload gone
    and only repeats the summary, so nobody is created twice."""
    with translation.override(job.params.get("language", "id")):
        pending = (
            PendingImport.objects.select_related("program__organization")
            .filter(
                pk=job.params["pending"],
                program_id=job.params["program"],
                program__organization=job.organization,
            )
            .first()
        )
        if pending is None:
            record = ParticipantImport.objects.filter(pk=job.params.get("record")).first()
            if record is None:
                raise ValidationError(_("The uploaded file is no longer there; upload it again."))
            return _summary(record.file_name, _counts(record), [])
        by = get_user_model().objects.filter(pk=job.created_by_id).first()
        total = pending.rows

        def written(record):
            pending.delete()
            Job.objects.filter(pk=job.pk).update(params={**job.params, "record": record.pk})

        report = services.participants_import(
            program=pending.program,
            by=by,
            **pending.import_arguments(),
            valid_only=job.params.get("valid_only", False),
            progress=lambda read: progress(min(read, total), total),
            on_written=written,
        )
        left_out = list(report.invalid) + [(c.row, _("Name"), c.reason) for c in report.conflicts]
        if not report.written:
            return _summary(pending.file_name, None, sorted(left_out, key=lambda r: r[0]))
        return _summary(pending.file_name, _counts(report.record), left_out)


def _counts(record):
    return [
        (_("New"), record.new),
        (_("Updated"), record.updated),
        (_("Unchanged"), record.unchanged),
        (_("Repeated in the file"), record.duplicates),
        (_("Invalid rows skipped"), record.skipped),
    ]


def _summary(file_name, counts, left_out):
    """What came of the import as a csv: the counts (or that nothing was written),
    then every row left out with its column and reason."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([file_name])
    if counts is None:
        writer.writerow(
            [_("The file has invalid rows or undecided conflicts; nothing was written.")]
        )
    for label, count in counts or ():
        writer.writerow([label, count])
    if left_out:
        writer.writerow([])
        writer.writerow([_("Row"), _("Column"), _("Reason")])
        writer.writerows(left_out)
    stem = file_name.rsplit(".", 1)[0][:80] or "impor"
    return f"hasil-impor-{stem}.csv", buffer.getvalue().encode("utf-8-sig")
