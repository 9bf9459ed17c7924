import logging
import threading

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
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

    progress = job_progress(job)

    try:
        file_name, content = registry.runners[job.kind](job, progress)
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return
    finally:
        _close_side_connection()
    job.refresh_from_db()
    if job.result:
        job.result.delete(save=False)
    job.result.save(f"{job.pk}-{file_name}", ContentFile(content), save=False)
    job.result_name = file_name[:200]
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.done = job.total = max(job.total, job.done)
    job.save(update_fields=["result", "result_name", "status", "finished_at", "done", "total"])


def job_progress(job):
    """`progress(done, total)` for a runner. Written on a connection of its own on
    PostgreSQL, so that the job page sees it while the runner's own transaction
    (an import, all or nothing) is still open; SQLite allows one writer at a time,
    so there a runner inside a transaction shows its progress when it commits."""

    def progress(done, total):
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            side = _side_connection()
            table = side.ops.quote_name(Job._meta.db_table)
            with side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET done = %s, total = %s WHERE id = %s",  # noqa: S608
                    [done, total, job.pk],
                )
                if cursor.rowcount:
                    return
            # The job itself is not committed yet (a test's transaction): no other
            # connection sees it, so none waits on this one's lock either.
        Job.objects.filter(pk=job.pk).update(done=done, total=total)

    return progress


def _side_connection():
    side = getattr(_side, "connection", None)
    if side is None:
        side = _side.connection = connections.create_connection(DEFAULT_DB_ALIAS)
    return side


def _close_side_connection():
    side = getattr(_side, "connection", None)
    if side is not None:
        side.close()
        _side.connection = None


_side = threading.local()


def job_retry(*, job):
    """Queue a failed job again."""
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED, error="", done=0, started_at=None, finished_at=None
    )
    if updated:
        transaction.on_commit(lambda: _enqueue(job))
    return bool(updated)
