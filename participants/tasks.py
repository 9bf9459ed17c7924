from django_tasks import task

from participants.importing import writes


@task()
def refresh_statistics():
    """The planner's statistics after a large import; running it twice does no harm."""
    writes.refresh_statistics()
