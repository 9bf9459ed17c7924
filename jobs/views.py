from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs import services
from jobs.access import get_job_for_user, jobs_visible_to
from jobs.enums import JobStatus


@require_GET
def job_list(request):
    return render(request, "jobs/job_list.html", {"jobs": jobs_visible_to(request.user)[:50]})


@require_GET
def job_detail(request, job_id):
    job = get_job_for_user(request, job_id)
    # While it runs, htmx asks for the status block again every few seconds.
    template = "jobs/_job_status.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, {"job": job})


@require_GET
def job_download(request, job_id):
    job = get_job_for_user(request, job_id)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404
    try:
        content = job.result.open("rb")
    except FileNotFoundError:  # the storage lost it: say so rather than fail
        raise Http404 from None
    response = FileResponse(content, as_attachment=True, filename=job.result_name)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def job_retry(request, job_id):
    job = get_job_for_user(request, job_id)
    if services.job_retry(job=job):
        messages.success(request, _("The job is queued again."))
    return redirect(job)
