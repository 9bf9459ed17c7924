from django_tasks import task

from jobs import services


@task()
def run_job(job_id):
    services.job_run(job_id=job_id)
