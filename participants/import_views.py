"""Importing a village spreadsheet: upload, preview, confirm; and the history."""

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants import services
from participants.forms import ImportForm
from participants.models import PendingImport
from pkk_training.exports import XLSX_TYPE, spreadsheet_response
from pkk_training.http import posted
from programs.access import get_program_for_user


def _forget_stale_uploads():
    PendingImport.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=1)).delete()


@require_http_methods(["GET", "POST"])
def participant_import(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            report = services.participants_import(
                program=program,
                by=request.user,
                file_name=upload.name,
                content=content,
                consent_method=form.cleaned_data["consent_method"],
                dry_run=True,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            _forget_stale_uploads()
            pending = PendingImport.objects.create(
                program=program,
                uploaded_by=request.user,
                file_name=upload.name[:255],
                content=content,
                consent_method=form.cleaned_data["consent_method"],
                consent_note=form.cleaned_data["consent_note"],
                invalid_rows=report.invalid,
            )
            return render(
                request,
                "participants/import_preview.html",
                {"program": program, "report": report, "pending": pending},
            )
    return render(request, "participants/import_form.html", {"program": program, "form": form})


def _pending(request, program, pending_id):
    return get_object_or_404(
        PendingImport, pk=pending_id, program=program, uploaded_by=request.user
    )


@require_POST
def participant_import_confirm(request, program_slug, pending_id):
    program = get_program_for_user(request, program_slug, manage=True)
    pending = _pending(request, program, pending_id)
    if request.POST.get("action") == "cancel":
        pending.delete()
        messages.info(request, _("Import cancelled; nothing was written."))
        return redirect("participant_import", program_slug=program.slug)
    valid_only = request.POST.get("action") == "valid_only"
    report = services.participants_import(
        program=program,
        by=request.user,
        file_name=pending.file_name,
        content=bytes(pending.content),
        consent_method=pending.consent_method,
        consent_note=pending.consent_note,
        valid_only=valid_only,
    )
    if not report.written:
        messages.error(request, _("The file has invalid rows; nothing was written."))
        return render(
            request,
            "participants/import_preview.html",
            {"program": program, "report": report, "pending": pending},
        )
    pending.delete()
    messages.success(
        request,
        _(
            "Import done: %(new)s new, %(updated)s updated, %(unchanged)s unchanged, "
            "%(skipped)s invalid rows skipped."
        )
        % {
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": len(report.invalid_rows),
        },
    )
    return redirect("participant_list", program_slug=program.slug)


@require_GET
def participant_import_skipped(request, program_slug, pending_id):
    """The invalid rows of a previewed file, with the reasons, as CSV."""
    program = get_program_for_user(request, program_slug, manage=True)
    pending = _pending(request, program, pending_id)
    return spreadsheet_response(
        rows=pending.invalid_rows,
        header=[_("Row"), _("Column"), _("Reason")],
        file_format="csv",
        filename="baris-tidak-valid",
    )


@require_GET
def participant_import_history(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    return render(
        request,
        "participants/import_history.html",
        {"program": program, "imports": program.imports.select_related("imported_by")[:200]},
    )


TEMPLATE_HEADER = ["Nama", "No HP", "NIK", "Tahun Lahir", "Dusun", "RT", "RW", "Alamat", "Jalur"]


@require_GET
def participant_import_template(request, program_slug):
    """An empty spreadsheet with the expected headers; NIK and phone columns as text."""
    get_program_for_user(request, program_slug, manage=True)
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Peserta"
    sheet.append(TEMPLATE_HEADER)
    sheet.append(
        [
            "Siti Aminah",
            "0812 3456 7890",
            "1808054101900001",
            1985,
            "Dusun I",
            "001",
            "002",
            "",
            "Daftar sebagai Seller",
        ]
    )
    for column in ("B", "C"):  # text, so that Excel keeps leading zeros and all 16 digits
        for cell in sheet[column]:
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="template-peserta.xlsx"'
    return response
