from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants.forms import ParticipantSearchForm
from participants.selectors import enrollment_page
from pkk_training.forms import query_params, run_service
from pkk_training.http import offline_page, posted
from programs import permissions
from programs.access import get_program_for_user
from programs.selectors import (
    organizations_coordinated,
    program_members,
    program_staff_choices,
)
from sessions import hooks, selectors, services
from sessions.access import get_session_for_user
from sessions.forms import TrainingSessionForm


@require_GET
def home(request):
    programs = selectors.home_programs(request.user)
    return render(
        request,
        "sessions/home.html",
        {
            "programs": programs,
            "today": selectors.sessions_today(request.user),
            "can_create_program": permissions.can_create_program(request.user),
            "coordinated": organizations_coordinated(request.user),
        },
    )


@require_GET
@offline_page
def program_detail(request, program_slug):
    program = get_program_for_user(request, program_slug)
    query = query_params(request, ParticipantSearchForm)
    sessions = selectors.session_attendance_summary(program)
    today = timezone.localdate()
    return render(
        request,
        "sessions/program_detail.html",
        {
            "program": program,
            "today": [s for s in sessions if s.date == today],
            "phases": selectors.sessions_by_phase(sessions),
            "members": program_members(program),
            "participants": enrollment_page(program, query=query["q"], page=query["page"]),
            "can_manage": permissions.can_manage_program(request.user, program),
            "can_record": permissions.can_record(request.user, program),
        },
    )


@require_http_methods(["GET", "POST"])
def session_create(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = TrainingSessionForm(
        posted(request),
        staff=program_staff_choices(program),
        initial={"venue": program.village},
    )
    if request.method == "POST" and form.is_valid():
        session = run_service(form, services.session_create, program=program, **form.cleaned_data)
        if session:
            messages.success(request, _("Session created."))
            return redirect(session)
    return render(request, "sessions/session_form.html", {"form": form, "program": program})


@require_GET
@offline_page
def session_detail(request, program_slug, session_id):
    """The session and its roll call, where facilitators mark attendance."""
    session = get_session_for_user(request, program_slug, session_id)
    program = session.program
    can_record = permissions.can_record(request.user, program)
    return render(
        request,
        "sessions/session_detail.html",
        {
            "program": program,
            "session": session,
            "roll": selectors.roll_lines(session),
            "disagreements": selectors.attendance_disagreements(session),
            "facilitators": session.facilitators.order_by("first_name", "username"),
            "can_manage": permissions.can_manage_program(request.user, program),
            "can_record": can_record,
            "roll_tools": [
                {"template_name": tool.template_name, "context": tool.context(request, session)}
                for tool in hooks.roll_tools
            ]
            if can_record
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
def session_edit(request, program_slug, session_id):
    session = get_session_for_user(request, program_slug, session_id, manage=True)
    program = session.program
    form = TrainingSessionForm(
        posted(request), instance=session, staff=program_staff_choices(program)
    )
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.session_update, session=session, **form.cleaned_data):
            messages.success(request, _("Session saved."))
            return redirect(session)
    return render(
        request,
        "sessions/session_form.html",
        {"form": form, "program": program, "session": session},
    )


@require_POST
def session_delete(request, program_slug, session_id):
    session = get_session_for_user(request, program_slug, session_id, manage=True)
    services.session_delete(session=session)
    messages.success(request, _("Session deleted."))
    return redirect("program_detail", program_slug=program_slug)
