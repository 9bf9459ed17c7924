from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pkk_training.forms import run_service
from pkk_training.http import posted
from programs import permissions, selectors, services
from programs.access import get_membership_for_user, get_program_for_user
from programs.forms import MemberAddForm, ProgramForm


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
            organization=data.pop("organization"),
            **data,
        )
        if program:
            messages.success(request, _("Program created."))
            return redirect(program)
    return render(request, "programs/program_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def program_edit(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = ProgramForm(posted(request), instance=program)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.program_update, program=program, **form.cleaned_data):
            messages.success(request, _("Program saved."))
            return redirect(program)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@require_http_methods(["GET", "POST"])
def program_members(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = MemberAddForm(
        posted(request), candidates=selectors.member_candidates(request.user, program)
    )
    if request.method == "POST" and form.is_valid():
        membership = services.membership_add(
            program=program,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
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
        "programs/program_members.html",
        {"program": program, "members": selectors.program_members(program), "form": form},
    )


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
