"""Participants' progress through checklists, the grid, the funnel, mentoring."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from checklists import selectors, services
from checklists.access import (
    get_grid_link_for_user,
    get_program_template_for_user,
    get_track_for_user,
    get_track_step_for_user,
)
from checklists.forms import AssignForm, ChecklistGridFilterForm, MentoringForm, ProgressMarkForm
from checklists.models import ChecklistStep
from checklists.step_markup import StepRowMarkup
from participants.access import get_enrollment_for_user
from participants.models import Enrollment
from pkk_training.forms import add_service_errors, query_params
from pkk_training.http import offline_page
from programs.access import get_program_for_user


def _checklist_url(enrollment):
    return reverse(
        "participant_checklists",
        kwargs={
            "program_slug": enrollment.program.slug,
            "participant_id": enrollment.participant_id,
        },
    )


def _mentoring_form(enrollment, data=None, step_id=None):
    steps = (
        ChecklistStep.objects.filter(
            template__tracks__enrollment=enrollment, archived_at__isnull=True
        )
        .select_related("template")
        .order_by("template__position", "template__name", "position")
    )
    initial = {"date": timezone.localdate()}
    # Opened from a blocked step (?step=): only a step of her own checklists is taken.
    if step_id is not None and steps.filter(pk=step_id).exists():
        initial["step"] = step_id
    return MentoringForm(data, steps=steps, initial=initial)


@require_GET
@offline_page
def participant_checklists(request, program_slug, participant_id):
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    form = _mentoring_form(enrollment, step_id=_int_or_none(request.GET.get("step")))
    return _checklists_page(request, enrollment, form)


def _checklists_page(request, enrollment, mentoring_form, status=200):
    """The participant's checklists and mentoring log; shown again with a refused follow-up."""
    assigned = enrollment.tracks.values("template_id")
    tracks = selectors.participant_checklists(enrollment)
    return render(
        request,
        "checklists/participant_checklists.html",
        {
            "program": enrollment.program,
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "tracks": tracks,
            "first_open": selectors.first_open_step(tracks),
            "assign_form": AssignForm(
                templates=selectors.templates_for_program(enrollment.program).exclude(
                    pk__in=assigned
                )
            ),
            "mentoring_form": mentoring_form,
            "contacts": enrollment.mentoring_contacts.select_related("step", "by"),
        },
        status=status,
    )


@require_POST
def progress_mark(request, program_slug, participant_id, track_id, step_id):
    form = ProgressMarkForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Invalid mark."), status=400, content_type="text/plain")
    data = form.cleaned_data
    reason_id = data["reason"] if data["state"] == "blocked" else None
    track, step, reason = get_track_step_for_user(
        request, program_slug, participant_id, track_id, step_id, reason_id
    )
    try:
        progress, outcome = services.progress_mark(
            track=track,
            step=step,
            state=data["state"],
            by=request.user,
            reason=reason,
            note=data["note"],
            base_version=data["version"],
            mark_id=data["mark_id"],
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        if request.htmx:
            return HttpResponse(message, status=409, content_type="text/plain")
        messages.error(request, message)
        return redirect(_checklist_url(track.enrollment))
    if not request.htmx:
        if outcome == services.CONFLICT:
            messages.warning(
                request, _("Someone else changed this step meanwhile; see its state now.")
            )
        return redirect(f"{_checklist_url(track.enrollment)}#step-{track.pk}-{step.pk}")
    markup = StepRowMarkup(
        program_slug=track.enrollment.program.slug,
        participant_id=track.enrollment.participant_id,
        track_id=track.pk,
        reasons=selectors.template_reasons(track.template),
        csrf_token=get_token(request),
    )
    # A phone's outbox keeps a mark that met someone else's change, for review.
    outbox = outcome == services.CONFLICT and "X-Outbox-Id" in request.headers
    return HttpResponse(
        markup.row(selectors.StepRow(step, progress), conflict=outcome == services.CONFLICT),
        status=409 if outbox else 200,
    )


@require_POST
def track_assign(request, program_slug, participant_id):
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    form = AssignForm(request.POST, templates=selectors.templates_for_program(enrollment.program))
    if form.is_valid():
        services.track_assign(
            enrollment=enrollment, template=form.cleaned_data["template"], by=request.user
        )
        messages.success(request, _("Checklist assigned."))
    else:
        messages.error(request, _("Choose a checklist."))
    return redirect(_checklist_url(enrollment))


@require_POST
def track_remove(request, program_slug, participant_id, track_id):
    track = get_track_for_user(request, program_slug, participant_id, track_id)
    try:
        services.track_remove(track=track)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Checklist removed."))
    return redirect(_checklist_url(track.enrollment))


@require_POST
def mentoring_add(request, program_slug, participant_id):
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    form = _mentoring_form(enrollment, request.POST)
    if form.is_valid():
        try:
            services.mentoring_add(enrollment=enrollment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect(f"{_checklist_url(enrollment)}#mentoring")
    return _checklists_page(request, enrollment, form, status=400)


@require_GET
@offline_page
def program_checklists(request, program_slug):
    program = get_program_for_user(request, program_slug)
    templates = selectors.templates_for_program(program)
    return render(
        request,
        "checklists/program_checklists.html",
        {
            "program": program,
            "summaries": selectors.program_template_summaries(program),
            "assign_form": AssignForm(templates=templates),
            "unassigned": Enrollment.objects.filter(program=program, status="active")
            .exclude(tracks__isnull=False)
            .count(),
        },
    )


@require_POST
def tracks_assign_bulk(request, program_slug):
    program = get_program_for_user(request, program_slug)
    form = AssignForm(request.POST, templates=selectors.templates_for_program(program))
    if not form.is_valid():
        messages.error(request, _("Choose a checklist."))
        return redirect("program_checklists", program_slug=program.slug)
    ids = request.POST.getlist("participant") or None
    try:
        count = services.tracks_assign_bulk(
            program=program,
            template=form.cleaned_data["template"],
            by=request.user,
            participant_ids=ids,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(count)d participants now follow “%(name)s”.")
            % {"count": count, "name": form.cleaned_data["template"].name},
        )
    return redirect("program_checklists", program_slug=program.slug)


def _int_or_none(value):
    """A GET parameter as an id, or None for junk (and for numbers no database holds)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@require_GET
@offline_page
def checklist_grid(request, program_slug, template_id):
    program, template = get_program_template_for_user(request, program_slug, template_id)
    query = query_params(request, ChecklistGridFilterForm)
    stuck_at, reason_id = query["stuck_at"], query["reason"]
    grid = selectors.checklist_grid(program, template, stuck_at=stuck_at, reason_id=reason_id)
    return render(
        request,
        "checklists/grid.html",
        {
            "program": program,
            "template": template,
            "steps": grid.steps,
            "rows": grid.rows,
            "reasons": grid.reasons,
            "stuck_at": stuck_at,
            "reason_id": reason_id,
            "funnel": grid.funnel,
        },
    )


@require_GET
def grid_link(request, program_slug, template_id, track_id, step_id):
    """Where a grid chip's short link leads when the page's script has not sent
    it straight there: the participant's checklists, at the chip's step."""
    program, participant_id = get_grid_link_for_user(
        request, program_slug, template_id, track_id, step_id
    )
    page = reverse("participant_checklists", args=[program.slug, participant_id])
    return redirect(f"{page}#step-{track_id}-{step_id}")
