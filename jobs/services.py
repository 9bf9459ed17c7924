import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jobs import registry
from jobs.enums import JobStatus
from jobs.models import Job

logger = logging.getLogger(__name__)


def job_start(*, organization, kind, title, by, params=None):
    """Record the job and hand it to a worker once the record is committed."""
    if kind not in registry.runners:
        raise ValueError(f"no runner for {kind!r}")
    job = Job.objects.create(
        organization=organization, kind=kind, title=title[:200], params=params or {}, created_by=by
    )

    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job):
    from jobs.tasks import run_job  # the task module imports this one

    run_job.enqueue(str(job.pk))


def job_run(*, job_id):
    """Run a queued job. A job already done, or taken by another worker, is left
    alone, so a task delivered twice does the work once."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)

    def progress(done, total):
        Job.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        file_name, content = registry.runners[job.kind](job, progress)
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return
    job.refresh_from_db()
    if job.result:
        job.result.delete(save=False)
    job.result.save(f"{job.pk}-{file_name}", ContentFile(content), save=False)
    job.result_name = file_name[:200]
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.done = job.total = max(job.total, job.done)
    job.save(update_fields=["result", "result_name", "status", "finished_at", "done", "total"])


def job_retry(*, job):
    """Queue a failed job again."""
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED, error="", done=0, started_at=None, finished_at=None
    )
    if updated:
        transaction.on_commit(lambda: _enqueue(job))
    return bool(updated)
