from django.db.models import Q
from django.shortcuts import get_object_or_404

from jobs.models import Job
from programs.permissions import is_admin, organization_ids


def jobs_visible_to(user):
    """Jobs of organizations the user coordinates, and the user's own."""
    jobs = Job.objects.select_related("organization", "created_by")
    if is_admin(user):
        return jobs
    return jobs.filter(
        Q(organization_id__in=organization_ids(user, coordinating=True)) | Q(created_by=user)
    )


def get_job_for_user(request, job_id):
    return get_object_or_404(jobs_visible_to(request.user), pk=job_id)
