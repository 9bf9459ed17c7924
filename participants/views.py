import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants import hooks, services
from participants.access import (
    get_enrollment_for_user,
    get_organization_participant_for_user,
    get_privacy_enrollment_for_user,
)
from participants.forms import EnrollmentForm, ParticipantForm, ParticipantSearchForm
from participants.selectors import (
    enrollment_page,
    participant_personal_data,
    personal_data_json,
    program_enrollments,
)
from participants.validators import format_phone, mask_nik
from pkk_training.exports import no_store, spreadsheet_response
from pkk_training.forms import add_service_errors, query_params, run_service
from pkk_training.http import offline_page, posted
from pkk_training.pdf import render_pdf
from programs import permissions
from programs.access import get_program_for_user
from programs.enums import AuditAction
from programs.services import audit_record


@require_GET
@offline_page
def participant_list(request, program_slug):
    program = get_program_for_user(request, program_slug)
    query = query_params(request, ParticipantSearchForm)
    page = enrollment_page(program, query=query["q"], page=query["page"])
    template = (
        "participants/_participant_results.html"
        if request.htmx
        else "participants/participant_list.html"
    )
    return render(
        request,
        template,
        {
            "program": program,
            "participants": page,
            "can_record": permissions.can_record(request.user, program),
            "can_manage": permissions.can_manage_program(request.user, program),
        },
    )


@require_http_methods(["GET", "POST"])
def participant_create(request, program_slug):
    program = get_program_for_user(request, program_slug)
    if not permissions.can_record(request.user, program):
        raise PermissionDenied
    form = ParticipantForm(
        posted(request),
        can_see_nik=permissions.can_see_full_nik(request.user),
        program=program,
    )
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the person, the enrollment and the extensions, or nothing
                enrollment = services.participant_register(
                    program=program, by=request.user, **form.participant_data()
                )
                form.save_extensions(enrollment, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            duplicate = getattr(error, "existing", None)
        else:
            messages.success(
                request, _("%(name)s is enrolled.") % {"name": enrollment.participant.full_name}
            )
            return redirect(enrollment)
    duplicate_enrollment = (
        duplicate.enrollments.filter(program=program).first() if duplicate else None
    )
    return render(
        request,
        "participants/participant_form.html",
        {
            "form": form,
            "program": program,
            "duplicate": duplicate,
            "duplicate_enrollment": duplicate_enrollment,
        },
    )


@require_POST
def participant_enroll(request, program_slug, participant_id):
    """Enroll a participant the organization already knows (offered on a duplicate)."""
    program, participant = get_organization_participant_for_user(
        request, program_slug, participant_id
    )
    try:
        enrollment = services.enrollment_create(
            program=program, participant=participant, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("participant_create", program_slug=program.slug)
    messages.success(request, _("%(name)s is enrolled.") % {"name": participant.full_name})
    return redirect(enrollment)


@require_GET
@offline_page
def participant_detail(request, program_slug, participant_id):
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    program = enrollment.program
    participant = enrollment.participant
    can_see_nik = permissions.can_see_full_nik(request.user)
    return render(
        request,
        "participants/participant_detail.html",
        {
            "program": program,
            "enrollment": enrollment,
            "participant": participant,
            "phone": format_phone(participant.phone),
            "nik": participant.nik if can_see_nik else mask_nik(participant.nik),
            "enrollment_form": EnrollmentForm(instance=enrollment),
            "date_changes": enrollment.date_changes.select_related("by")
            if permissions.can_manage_program(request.user, program)
            else (),
            "sections": [
                render_to_string(
                    section.template_name,
                    {
                        "program": program,
                        "participant": participant,
                        "enrollment": enrollment,
                        **section.context(request, enrollment),
                    },
                    request=request,
                )
                for section in sorted(hooks.participant_sections, key=lambda s: s.order)
            ],
            "can_manage": permissions.can_manage_program(request.user, program),
            "can_record": permissions.can_record(request.user, program),
        },
    )


@require_http_methods(["GET", "POST"])
def participant_edit(request, program_slug, participant_id):
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    program = enrollment.program
    if not permissions.can_record(request.user, program):
        raise PermissionDenied
    participant = enrollment.participant
    form = ParticipantForm(
        posted(request),
        instance=participant,
        can_see_nik=permissions.can_see_full_nik(request.user),
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            services.participant_update,
            participant=participant,
            by=request.user,
            program=program,
            **form.cleaned_data,
        ):
            messages.success(request, _("Participant saved."))
            return redirect(enrollment)
    return render(
        request,
        "participants/participant_form.html",
        {"form": form, "program": program, "enrollment": enrollment},
    )


@require_POST
def enrollment_edit(request, program_slug, participant_id):
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    if not permissions.can_manage_program(request.user, enrollment.program):
        raise PermissionDenied
    old_date = enrollment.enrolled_on
    form = EnrollmentForm(request.POST, instance=enrollment)
    if form.is_valid():
        enrollment.enrolled_on = old_date  # the service moves it and keeps the history
        try:
            with transaction.atomic():
                services.enrollment_update(
                    enrollment=enrollment, status=form.cleaned_data["status"]
                )
                if form.cleaned_data["enrolled_on"]:
                    services.enrollment_date_change(
                        enrollment=enrollment,
                        enrolled_on=form.cleaned_data["enrolled_on"],
                        by=request.user,
                        reason=_("Edited on the participant page"),
                    )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Enrollment saved."))
    else:
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect(enrollment)


@require_GET
def participant_export(request, program_slug, file_format):
    """The program's participants as CSV or XLSX; a whole NIK for admins only."""
    program = get_program_for_user(request, program_slug)
    full_nik = permissions.can_see_full_nik(request.user)
    rows = [
        [
            e.participant.full_name,
            format_phone(e.participant.phone),
            e.participant.nik if full_nik else mask_nik(e.participant.nik),
            e.participant.birth_year,
            e.participant.dusun,
            e.participant.rt,
            e.participant.rw,
            e.participant.address,
            e.get_status_display(),
            e.get_source_display(),
            e.enrolled_on,
        ]
        for e in program_enrollments(program)
    ]
    header = [
        _("Name"),
        _("Phone number"),
        _("NIK"),
        _("Birth year"),
        _("Dusun"),
        _("RT"),
        _("RW"),
        _("Address"),
        _("Status"),
        _("Source"),
        _("Enrolled on"),
    ]
    audit_record(
        by=request.user,
        action=AuditAction.EXPORT,
        program=program,
        detail=f"participants.{file_format}" + (" (NIK)" if full_nik else ""),
        people=len(rows),
    )
    return spreadsheet_response(
        rows=rows,
        header=header,
        file_format=file_format,
        filename=f"peserta-{program.slug}",
        sheet_title=_("Participants"),
    )


def _printable(value):
    if isinstance(value, bool):
        return pgettext("answer", "Yes") if value else pgettext("answer", "No")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    return value


def _personal_data(request, program_slug, participant_id, file_format):
    enrollment = get_privacy_enrollment_for_user(request, program_slug, participant_id)
    participant = enrollment.participant
    full_nik = permissions.can_see_full_nik(request.user)
    audit_record(
        by=request.user,
        action=AuditAction.DOWNLOAD,
        program=enrollment.program,
        detail=f"personal data (Data saya).{file_format}" + (" (NIK)" if full_nik else ""),
        people=1,
        subject=participant.pk,
    )
    # Logged first, so that the file lists its own making too.
    sections = participant_personal_data(participant, full_nik=full_nik)
    filename = f"data-saya-{participant.pk.hex[:8]}.{file_format}"
    if file_format == "json":
        response = JsonResponse(
            personal_data_json(sections),
            encoder=DjangoJSONEncoder,
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    else:
        printable = [
            {
                "key": s.key,
                "title": s.title,
                "columns": s.columns,
                "pairs": [(key, label, _printable(s.rows[0][key])) for key, label in s.columns]
                if s.key == "identity"
                else (),
                "rows": s.rows,
                "cells": [[_printable(row[key]) for key, _label in s.columns] for row in s.rows],
            }
            for s in sections
        ]
        pdf = render_pdf(
            "participants/personal_data_pdf.html",
            {
                "participant": participant,
                "sections": printable,
                "masked_nik": bool(participant.nik) and not full_nik,
                "printed_at": timezone.localtime(),
            },
            request=request,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)


@require_GET
def participant_data_json(request, program_slug, participant_id):
    """ "Data saya": everything held on her, as JSON (UU PDP 27/2022, the right of access)."""
    return _personal_data(request, program_slug, participant_id, "json")


@require_GET
def participant_data_pdf(request, program_slug, participant_id):
    """ "Data saya" as a readable PDF, to print and hand to her."""
    return _personal_data(request, program_slug, participant_id, "pdf")


@require_POST
def participant_erase(request, program_slug, participant_id):
    """Anonymise her for good; a confirmation box must be ticked."""
    enrollment = get_privacy_enrollment_for_user(request, program_slug, participant_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect(enrollment)
    try:
        services.participant_erase(
            participant=enrollment.participant, by=request.user, program=enrollment.program
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The participant's personal data were erased."))
    return redirect(enrollment)
