from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants.selectors import enrollment_page
from pkk_training import permissions
from pkk_training.access import get_membership_for_user, get_program_for_user, get_session_for_user
from pkk_training.forms import run_service
from pkk_training.http import posted
from sessions import selectors, services
from sessions.forms import MemberAddForm, ProgramForm, TrainingSessionForm


@require_GET
@login_required
def home(request):
    programs = selectors.home_programs(request.user)
    return render(
        request,
        "sessions/home.html",
        {"programs": programs, "can_create_program": permissions.can_create_program(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request):
    if not permissions.can_create_program(request.user):
        raise PermissionDenied
    organizations = selectors.organizations_for_new_program(request.user)
    form = ProgramForm(posted(request), organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data.copy()
        program = run_service(
            form,
            services.program_create,
            by=request.user,
            organization=data.pop("organization"),
            **data,
        )
        if program:
            messages.success(request, _("Program created."))
            return redirect(program)
    return render(request, "sessions/program_form.html", {"form": form})


@login_required
@require_GET
def program_detail(request, program_slug):
    program = get_program_for_user(request, program_slug)
    return render(
        request,
        "sessions/program_detail.html",
        {
            "program": program,
            "phases": selectors.sessions_by_phase(selectors.session_attendance_summary(program)),
            "members": selectors.program_members(program),
            "participants": enrollment_page(
                program, query=request.GET.get("q", ""), page=request.GET.get("page")
            ),
            "can_manage": permissions.can_manage_program(request.user, program),
            "can_record": permissions.can_record(request.user, program),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = ProgramForm(posted(request), instance=program)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, services.program_update, program=program, by=request.user, **form.cleaned_data
        ):
            messages.success(request, _("Program saved."))
            return redirect(program)
    return render(request, "sessions/program_form.html", {"form": form, "program": program})


@login_required
@require_http_methods(["GET", "POST"])
def program_members(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = MemberAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        membership = services.membership_add(
            program=program,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
        messages.success(
            request,
            _("%(user)s is now %(role)s.")
            % {
                "user": membership.user.get_full_name() or membership.user.username,
                "role": membership.get_role_display().lower(),
            },
        )
        return redirect("program_members", program_slug=program.slug)
    return render(
        request,
        "sessions/program_members.html",
        {"program": program, "members": selectors.program_members(program), "form": form},
    )


@login_required
@require_POST
def member_remove(request, program_slug, membership_id):
    membership = get_membership_for_user(request, program_slug, membership_id)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Member removed."))
    return redirect("program_members", program_slug=program_slug)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = TrainingSessionForm(
        posted(request),
        staff=selectors.program_staff_choices(program),
        initial={"venue": program.village},
    )
    if request.method == "POST" and form.is_valid():
        session = run_service(
            form, services.session_create, program=program, by=request.user, **form.cleaned_data
        )
        if session:
            messages.success(request, _("Session created."))
            return redirect(session)
    return render(request, "sessions/session_form.html", {"form": form, "program": program})


@login_required
@require_GET
def session_detail(request, program_slug, session_id):
    """The session and its roll call, where facilitators mark attendance."""
    session = get_session_for_user(request, program_slug, session_id)
    program = session.program
    return render(
        request,
        "sessions/session_detail.html",
        {
            "program": program,
            "session": session,
            "roll": selectors.roll_call(session),
            "facilitators": session.facilitators.order_by("first_name", "username"),
            "can_manage": permissions.can_manage_program(request.user, program),
            "can_record": permissions.can_record(request.user, program),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, program_slug, session_id):
    session = get_session_for_user(request, program_slug, session_id, manage=True)
    program = session.program
    form = TrainingSessionForm(
        posted(request), instance=session, staff=selectors.program_staff_choices(program)
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, services.session_update, session=session, by=request.user, **form.cleaned_data
        ):
            messages.success(request, _("Session saved."))
            return redirect(session)
    return render(
        request,
        "sessions/session_form.html",
        {"form": form, "program": program, "session": session},
    )


@login_required
@require_POST
def session_delete(request, program_slug, session_id):
    session = get_session_for_user(request, program_slug, session_id, manage=True)
    services.session_delete(session=session, by=request.user)
    messages.success(request, _("Session deleted."))
    return redirect("program_detail", program_slug=program_slug)
