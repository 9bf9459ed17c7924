from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pkk_training.forms import run_service
from pkk_training.http import posted
from programs import hooks, permissions, regions, selectors, services
from programs.access import (
    get_audited_organization_for_user,
    get_locked_account_for_user,
    get_membership_for_user,
    get_program_for_user,
    get_unlocking_organization_for_user,
)
from programs.forms import (
    REGION_CODE_FIELDS,
    MemberAddForm,
    ProgramForm,
    program_form_region,
    region_codes,
    region_levels,
)


def _program_form_page(request, form, program=None):
    return render(
        request,
        "programs/program_form.html",
        {
            "form": form,
            "program": program,
            "region": program_form_region(form),
            "region_fields": REGION_CODE_FIELDS,
        },
    )


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
    return _program_form_page(request, form)


@require_http_methods(["GET", "POST"])
def program_edit(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = ProgramForm(posted(request), instance=program)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.program_update, program=program, **form.cleaned_data):
            messages.success(request, _("Program saved."))
            return redirect(program)
    return _program_form_page(request, form, program)


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
    members = list(selectors.program_members(program))
    for member in members:
        member.program = program
        member.can_reset = permissions.can_issue_password_reset(request.user, member)
    return render(
        request,
        "programs/program_members.html",
        {"program": program, "members": members, "form": form},
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


@require_POST
def member_password_reset(request, program_slug, membership_id):
    membership = get_membership_for_user(request, program_slug, membership_id)
    if not permissions.can_issue_password_reset(request.user, membership):
        raise PermissionDenied
    link = request.build_absolute_uri(
        services.password_reset_link_issue(membership=membership, by=request.user)
    )
    message = _(
        "Hello %(name)s, open this link to choose a new password for PKK Training "
        "(it works once): %(link)s"
    ) % {"name": membership.user.get_full_name() or membership.user.username, "link": link}
    response = render(
        request,
        "programs/password_reset_link.html",
        {
            "program": membership.program,
            "member": membership,
            "link": link,
            "whatsapp": "https://wa.me/?" + urlencode({"text": message}),
        },
    )
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
def organization_audit(request, organization_slug):
    organization = get_audited_organization_for_user(request, organization_slug)
    page = Paginator(selectors.audit_events(organization), 100).get_page(request.GET.get("page"))
    return render(request, "programs/audit_list.html", {"organization": organization, "page": page})


@require_GET
def organization_locked_accounts(request, organization_slug):
    organization = get_unlocking_organization_for_user(request, organization_slug)
    accounts = list(selectors.locked_accounts(organization))
    for account in accounts:
        account.can_unlock = permissions.can_unlock_account(request.user, account)
    return render(
        request,
        "programs/locked_accounts.html",
        {"organization": organization, "accounts": accounts},
    )


@require_POST
def account_unlock(request, organization_slug, user_id):
    organization, account = get_locked_account_for_user(request, organization_slug, user_id)
    services.account_unlock(organization=organization, account=account, by=request.user)
    messages.success(
        request,
        _("%(user)s can log in again.") % {"user": account.get_full_name() or account.username},
    )
    return redirect("organization_locked_accounts", organization_slug=organization.slug)


@require_GET
def program_offline_pages(request, program_slug):
    """The pages "Siapkan untuk offline" stores on the phone, as listed by each app."""
    program = get_program_for_user(request, program_slug)
    urls = [url for pages in hooks.offline_pages for url in pages(request, program)]
    return JsonResponse(
        {"urls": list(dict.fromkeys(urls)), "listed_at": timezone.now().isoformat()},
        headers={"Cache-Control": "no-store"},
    )


@require_GET
def region_fields(request):
    """The program form's location fieldset again, for the chosen codes or a picked region."""
    picked = regions.path(request.GET.get("pick") or "")
    if picked:
        values = dict(zip(REGION_CODE_FIELDS, (r.code for r in picked), strict=False))
    else:
        values = {field: request.GET.get(field, "") for field in REGION_CODE_FIELDS}
    return render(
        request,
        "programs/_region_fields.html",
        {"region": {"levels": region_levels(region_codes(values))}},
    )


@require_GET
def region_search(request):
    query = request.GET.get("region_q", "")[:60]
    results = [
        {
            "code": found.code,
            "name": found.name,
            "within": ", ".join(r.name for r in reversed(regions.path(found.code)[:-1])),
        }
        for found in regions.search(query, limit=15)
    ]
    return render(request, "programs/_region_results.html", {"results": results, "query": query})
