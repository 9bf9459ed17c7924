import mimetypes
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pkk_training.exports import no_store, spreadsheet_response
from pkk_training.forms import query_params, run_service
from pkk_training.http import posted
from pkk_training.pdf import render_pdf
from programs import permissions
from programs.access import get_organization_for_user, get_program_for_user
from programs.enums import AuditAction
from programs.selectors import programs_visible_to
from programs.services import audit_record
from reports import jobs, rollup, selectors, services
from reports.access import get_indicator_for_user, get_photo_for_user, get_signatory_for_user
from reports.forms import (
    CopyIndicatorsForm,
    IndicatorForm,
    IssueForm,
    PhotoCaptionForm,
    PhotoForm,
    ReportQueryForm,
    ReportSettingsForm,
    RollupFilterForm,
    SignatoryForm,
    as_of_from,
)
from reports.models import ReportSettings
from reports.word import DOCX, program_report_docx_bytes


def _report_query(annex, as_of):
    query = {"annex": "1"} if annex else {}
    if as_of:
        query["as_of"] = as_of.isoformat()
    return urlencode(query)


@require_GET
def program_report(request, program_slug):
    as_of_form, as_of = as_of_from(request.GET)
    program = get_program_for_user(
        request,
        program_slug,
        refine=lambda programs: selectors.with_report_figures(programs, as_of=as_of),
    )
    annex = query_params(request, ReportQueryForm)["annex"] == "1"
    context = selectors.program_report(program, annex=annex, as_of=as_of, figures=program)
    context.update(
        can_manage=permissions.can_manage_program(request.user, program),
        as_of_form=as_of_form,
        download_query=_report_query(annex, as_of),
        annex_query=_report_query(not annex, as_of),
    )
    return render(request, "reports/program_report.html", context)


def program_report_pdf_bytes(program, *, annex=False, as_of=None):
    context = selectors.program_report(program, annex=annex, as_of=as_of)
    return render_pdf("reports/program_report_pdf.html", context)


def _report_filename(program, as_of, extension):
    day = f"-per-{as_of.isoformat()}" if as_of else ""
    return f'attachment; filename="laporan-{program.slug}{day}.{extension}"'


@require_GET
def program_report_pdf(request, program_slug):
    program = get_program_for_user(request, program_slug)
    _form, as_of = as_of_from(request.GET)
    annex = query_params(request, ReportQueryForm)["annex"] == "1"
    pdf = program_report_pdf_bytes(program, annex=annex, as_of=as_of)
    if annex:
        audit_record(
            by=request.user,
            action=AuditAction.REPORT_ANNEX,
            program=program,
            detail=f"laporan-{program.slug}.pdf",
            people=program.enrollments.count(),
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = _report_filename(program, as_of, "pdf")
    return no_store(response)


@require_GET
def program_report_docx(request, program_slug):
    program = get_program_for_user(request, program_slug)
    _form, as_of = as_of_from(request.GET)
    context = selectors.program_report(program, as_of=as_of)
    response = HttpResponse(program_report_docx_bytes(context), content_type=DOCX)
    response["Content-Disposition"] = _report_filename(program, as_of, "docx")
    return no_store(response)


@require_http_methods(["GET", "POST"])
def indicator_list(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = IndicatorForm(posted(request), program=program)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.indicator_save, program=program, **form.cleaned_data):
            messages.success(request, _("Indicator added."))
            return redirect("indicator_list", program_slug=program.slug)
    others = programs_visible_to(request.user).exclude(pk=program.pk)
    return render(
        request,
        "reports/indicator_list.html",
        {
            "program": program,
            "indicators": program.indicators.all(),
            "form": form,
            "copy_form": CopyIndicatorsForm(programs=others) if others.exists() else None,
        },
    )


@require_http_methods(["GET", "POST"])
def indicator_edit(request, program_slug, indicator_id):
    indicator = get_indicator_for_user(request, program_slug, indicator_id)
    program = indicator.program
    form = IndicatorForm(posted(request), instance=indicator, program=program)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            services.indicator_save,
            program=program,
            indicator=indicator,
            **form.cleaned_data,
        ):
            messages.success(request, _("Indicator saved."))
            return redirect("indicator_list", program_slug=program.slug)
    return render(
        request,
        "reports/indicator_form.html",
        {"program": program, "indicator": indicator, "form": form},
    )


@require_POST
def indicator_delete(request, program_slug, indicator_id):
    indicator = get_indicator_for_user(request, program_slug, indicator_id)
    services.indicator_delete(indicator=indicator)
    messages.success(request, _("Indicator deleted."))
    return redirect("indicator_list", program_slug=program_slug)


@require_POST
def indicators_copy(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = CopyIndicatorsForm(
        request.POST, programs=programs_visible_to(request.user).exclude(pk=program.pk)
    )
    if not form.is_valid():
        messages.error(request, _("Choose a program to copy from."))
        return redirect("indicator_list", program_slug=program.slug)
    try:
        count = services.indicators_copy(
            source=form.cleaned_data["source"], target=program, by=request.user
        )
    except ValidationError as error:
        messages.error(
            request,
            _("These indicators do not fit this program: %(why)s")
            % {"why": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("%(count)d indicators copied.") % {"count": count})
    return redirect("indicator_list", program_slug=program.slug)


@require_GET
def organization_rollup(request, organization_slug, file_format="html"):
    organization, programs = get_organization_for_user(request, organization_slug)
    filters = rollup.RollupFilters.from_cleaned(query_params(request, RollupFilterForm))
    table = rollup.rollup(organization, programs, filters)
    if file_format == "xlsx":
        return spreadsheet_response(
            rows=table.plain_rows(),
            header=table.plain_header(),
            file_format="xlsx",
            filename=f"rekap-{slugify(organization.slug)}",
            sheet_title=_("Roll-up"),
        )
    context = {
        "organization": organization,
        "table": table,
        "filters": filters,
        "choices": rollup.filter_choices(programs),
    }
    if file_format == "pdf":
        pdf = render_pdf("reports/rollup_pdf.html", context)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="rekap-{organization.slug}.pdf"'
        return response
    return render(request, "reports/rollup.html", context)


@require_POST
def organization_rollup_job(request, organization_slug):
    """Every program's report as PDF plus the roll-up, zipped, made by a worker."""
    organization, programs = get_organization_for_user(request, organization_slug)
    job = jobs.organization_pdfs_start(
        organization=organization,
        programs=programs,
        filters=rollup.RollupFilters.from_cleaned(
            query_params(request, RollupFilterForm, data=request.POST)
        ),
        by=request.user,
        language=translation.get_language(),
    )
    return redirect(job)


@require_http_methods(["GET", "POST"])
def report_settings(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    current = ReportSettings.objects.filter(program=program).first()
    files = request.FILES if request.method == "POST" else None
    form = ReportSettingsForm(posted(request), files, instance=current)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            services.report_settings_save,
            program=program,
            **form.cleaned_data,
        ):
            messages.success(request, _("Report settings saved."))
            return redirect("report_settings", program_slug=program.slug)
    return _settings_page(request, program, form, SignatoryForm())


def _settings_page(request, program, form, signatory_form, photo_form=None):
    return render(
        request,
        "reports/report_settings.html",
        {
            "program": program,
            "form": form,
            "settings": form.instance if form.instance.pk else None,
            "signatory_form": signatory_form,
            "signatories": program.report_signatories.all(),
            "photo_form": photo_form or PhotoForm(),
            "photos": program.report_photos.all(),
        },
    )


def _stored_file_response(file_field):
    try:
        content = file_field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(content, content_type=mimetypes.guess_type(file_field.name)[0])
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def report_logo(request, program_slug):
    program = get_program_for_user(request, program_slug)
    current = ReportSettings.objects.filter(program=program).first()
    if current is None or not current.logo:
        raise Http404
    return _stored_file_response(current.logo)


@require_GET
def report_photo(request, program_slug, photo_id):
    photo = get_photo_for_user(request, program_slug, photo_id, manage=False)
    return _stored_file_response(photo.image)


@require_POST
def photo_add(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid() and run_service(
        form, services.photo_add, program=program, **form.cleaned_data
    ):
        messages.success(request, _("Photo added."))
        return redirect(reverse("report_settings", args=[program.slug]) + "#photos")
    current = ReportSettings.objects.filter(program=program).first()
    return _settings_page(
        request, program, ReportSettingsForm(instance=current), SignatoryForm(), form
    )


@require_POST
def photo_edit(request, program_slug, photo_id):
    photo = get_photo_for_user(request, program_slug, photo_id)
    form = PhotoCaptionForm(request.POST)
    if form.is_valid() and run_service(
        form, services.photo_caption, photo=photo, caption=form.cleaned_data["caption"]
    ):
        messages.success(request, _("Caption saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("report_settings", args=[program_slug]) + "#photos")


@require_POST
def photo_move(request, program_slug, photo_id):
    photo = get_photo_for_user(request, program_slug, photo_id)
    services.photo_move(photo=photo, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(reverse("report_settings", args=[program_slug]) + "#photos")


@require_POST
def photo_delete(request, program_slug, photo_id):
    photo = get_photo_for_user(request, program_slug, photo_id)
    services.photo_delete(photo=photo)
    messages.success(request, _("Photo removed."))
    return redirect(reverse("report_settings", args=[program_slug]) + "#photos")


@require_POST
def signatory_add(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = SignatoryForm(request.POST)
    if form.is_valid() and run_service(
        form, services.signatory_add, program=program, **form.cleaned_data
    ):
        messages.success(request, _("Signatory added."))
        return redirect("report_settings", program_slug=program.slug)
    current = ReportSettings.objects.filter(program=program).first()
    return _settings_page(request, program, ReportSettingsForm(instance=current), form)


@require_POST
def signatory_delete(request, program_slug, signatory_id):
    signatory = get_signatory_for_user(request, program_slug, signatory_id)
    services.signatory_delete(signatory=signatory)
    messages.success(request, _("Signatory removed."))
    return redirect("report_settings", program_slug=program_slug)


@require_POST
def report_issue(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = IssueForm(request.POST)
    if form.is_valid():
        version = run_service(
            form,
            services.report_issue,
            program=program,
            by=request.user,
            as_of=form.cleaned_data["as_of"],
        )
        if version:
            messages.success(
                request,
                _("Version %(number)s issued (data as of %(day)s).")
                % {"number": version.number, "day": date_format(version.as_of, "j F Y")},
            )
            return redirect("program_report", program_slug=program.slug)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("program_report", program_slug=program.slug)


@require_GET
def report_version_pdf(request, program_slug, number):
    program = get_program_for_user(request, program_slug)
    version = get_object_or_404(program.report_versions, number=number)
    response = HttpResponse(bytes(version.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="laporan-{program.slug}-v{version.number}.pdf"'
    )
    response["Digest"] = f"sha-256={version.sha256}"
    return response
