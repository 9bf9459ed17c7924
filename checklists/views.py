"""Building checklist templates: steps, order, blocker reasons, copies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from checklists import permissions, selectors, services
from checklists.access import get_template_for_user
from checklists.forms import CopyForm, ReasonForm, StepForm, TemplateForm
from checklists.selectors import templates_visible_to
from pkk_training.forms import run_service
from pkk_training.http import posted
from programs.models import Organization
from programs.permissions import is_admin
from programs.selectors import programs_visible_to


def _managed_organizations(user):
    if is_admin(user):
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=permissions.managed_organization_ids(user))


@require_GET
def template_list(request):
    templates = templates_visible_to(request.user).filter(archived=False)
    return render(
        request,
        "checklists/template_list.html",
        {"templates": templates, "can_build": permissions.can_build_templates(request.user)},
    )


@require_http_methods(["GET", "POST"])
def template_create(request):
    if not permissions.can_build_templates(request.user):
        raise PermissionDenied
    form = TemplateForm(posted(request), organizations=_managed_organizations(request.user))
    if request.method == "POST" and form.is_valid():
        template = run_service(form, services.template_create, by=request.user, **form.cleaned_data)
        if template:
            messages.success(request, _("Checklist created. Now add its steps."))
            return redirect(template)
    return render(request, "checklists/template_form.html", {"form": form})


@require_GET
def template_detail(request, template_id):
    template = get_template_for_user(request, template_id)
    organizations = _managed_organizations(request.user)
    return render(
        request,
        "checklists/template_detail.html",
        {
            "template": template,
            "steps": services.current_steps(template),
            "reasons": template.blocker_reasons.filter(archived=False),
            "can_manage": permissions.can_manage_template(request.user, template),
            "copy_form": CopyForm(organizations=organizations) if organizations else None,
            "funnel": selectors.funnel(template, programs_visible_to(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
def template_edit(request, template_id):
    template = get_template_for_user(request, template_id, manage=True)
    form = TemplateForm(posted(request), instance=template)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.template_update, template=template, **form.cleaned_data):
            messages.success(request, _("Checklist saved."))
            return redirect(template)
    return render(request, "checklists/template_form.html", {"form": form, "template": template})


@require_POST
def template_copy(request, template_id):
    template = get_template_for_user(request, template_id)
    if not permissions.can_build_templates(request.user):
        raise PermissionDenied
    form = CopyForm(request.POST, organizations=_managed_organizations(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose an organization to copy into."))
        return redirect(template)
    copy = services.template_copy(
        template=template,
        by=request.user,
        organization=form.cleaned_data["organization"],
        name=form.cleaned_data["name"],
    )
    messages.success(request, _("Copy created; edit it freely."))
    return redirect(copy)


@require_http_methods(["GET", "POST"])
def step_create(request, template_id):
    template = get_template_for_user(request, template_id, manage=True)
    form = StepForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.step_add, template=template, **form.cleaned_data):
            messages.success(request, _("Step added."))
            return redirect(template)
    return render(request, "checklists/step_form.html", {"form": form, "template": template})


def _step(template, step_id):
    return get_object_or_404(template.steps.filter(archived_at__isnull=True), pk=step_id)


@require_http_methods(["GET", "POST"])
def step_edit(request, template_id, step_id):
    template = get_template_for_user(request, template_id, manage=True)
    step = _step(template, step_id)
    form = StepForm(posted(request), instance=step)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.step_update, step=step, **form.cleaned_data):
            messages.success(request, _("Step saved."))
            return redirect(template)
    return render(
        request, "checklists/step_form.html", {"form": form, "template": template, "step": step}
    )


@require_POST
def step_move(request, template_id, step_id):
    template = get_template_for_user(request, template_id, manage=True)
    services.step_move(step=_step(template, step_id), direction=request.POST.get("direction"))
    return redirect(f"{template.get_absolute_url()}#step-{step_id}")


@require_POST
def step_remove(request, template_id, step_id):
    template = get_template_for_user(request, template_id, manage=True)
    services.step_remove(step=_step(template, step_id))
    messages.success(request, _("Step removed."))
    return redirect(template)


@require_http_methods(["GET", "POST"])
def reason_list(request, template_id):
    template = get_template_for_user(request, template_id, manage=True)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.reason_add, template=template, **form.cleaned_data):
            messages.success(request, _("Reason added."))
            return redirect("reason_list", template_id=template.pk)
    return render(
        request,
        "checklists/reason_list.html",
        {
            "template": template,
            "form": form,
            "reasons": template.blocker_reasons.filter(archived=False),
        },
    )


@require_POST
def reason_archive(request, template_id, reason_id):
    template = get_template_for_user(request, template_id, manage=True)
    reason = get_object_or_404(template.blocker_reasons, pk=reason_id)
    services.reason_archive(reason=reason)
    messages.success(request, _("Reason removed from the list."))
    return redirect("reason_list", template_id=template.pk)
