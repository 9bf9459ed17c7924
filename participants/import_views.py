"""Importing a village spreadsheet: upload, preview, confirm; and the history."""

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants import jobs as import_jobs
from participants import services
from participants.forms import ImportForm
from participants.models import ParticipantImport, PendingImport
from participants.spreadsheets import EXAMPLE_NAME, IGNORE, IMPORT_FIELDS, field_label, header_key
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
                rows=len(report.table.rows) if report.table else 0,
            )
            return _render_preview(request, program, pending, report)
    return render(request, "participants/import_form.html", {"program": program, "form": form})


def _pending(request, program, pending_id):
    return get_object_or_404(
        PendingImport, pk=pending_id, program=program, uploaded_by=request.user
    )


PREVIEW_ROWS = 50


def _preview_rows(report):
    """Every problem row, and the first PREVIEW_ROWS of the others, in file order."""
    invalid = {}
    for row, column, reason in report.invalid:
        invalid.setdefault(row, []).append((column, reason))
    conflicts = {c.row: c for c in report.conflicts}
    rows, plain = [], 0
    for number, values in report.table.rows:
        status, changes = report.outcomes.get(number, ("invalid", []))
        if number in invalid:
            status = "invalid"
        problem = status in ("invalid", "conflict", "repeated")
        if not problem:
            plain += 1
            if plain > PREVIEW_ROWS:
                continue
        rows.append(
            {
                "number": number,
                "values": values,
                "status": status,
                "changes": [(str(field_label(f)), old, new) for f, old, new in changes],
                "invalid": invalid.get(number, []),
                "conflict": conflicts.get(number),
            }
        )
    return rows, max(plain - PREVIEW_ROWS, 0)


def _render_preview(request, program, pending, report):
    rows, hidden = _preview_rows(report)
    fields = [(IGNORE, _("Ignore this column"))] + [
        (name, str(field_label(name))) for name in IMPORT_FIELDS
    ]
    return render(
        request,
        "participants/import_preview.html",
        {
            "program": program,
            "report": report,
            "pending": pending,
            "rows": rows,
            "hidden_rows": hidden,
            "columns": [(c, header_key(c.header)) for c in report.table.columns if c.header],
            "fields": fields,
            "decisions": {str(k): v for k, v in pending.decisions.items()},
            "left_out": len(report.invalid_rows) + len(report.conflicts),
        },
    )


def _choices(request, pending):
    """The sheet, column mapping and conflict decisions posted from the preview."""
    names = set(IMPORT_FIELDS) | {IGNORE}
    sheet = request.POST.get("sheet")
    if sheet is not None:
        pending.sheet = sheet[:255]
    for key, value in request.POST.items():
        if key.startswith("map:") and value in names:
            pending.mapping[key[4:][:120]] = value
        elif key.startswith("decision:") and value in ("same", "different"):
            number = key[9:]
            if number.isdigit():
                pending.decisions[number] = value


def _run(request, program, pending, **kwargs):
    return services.participants_import(
        program=program, by=request.user, **pending.import_arguments(), **kwargs
    )


@require_POST
def participant_import_confirm(request, program_slug, pending_id):
    program = get_program_for_user(request, program_slug, manage=True)
    pending = _pending(request, program, pending_id)
    action = request.POST.get("action")
    if action == "cancel":
        pending.delete()
        messages.info(request, _("Import cancelled; nothing was written."))
        return redirect("participant_import", program_slug=program.slug)
    _choices(request, pending)
    if action not in ("import", "valid_only"):  # "refresh": show the preview again
        try:
            report = _run(request, program, pending, dry_run=True)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            pending.sheet, pending.mapping = "", {}
            pending.save(update_fields=["sheet", "mapping"])
            report = _run(request, program, pending, dry_run=True)
        pending.invalid_rows = report.invalid
        pending.rows = len(report.table.rows) if report.table else 0
        pending.save(update_fields=["sheet", "mapping", "decisions", "invalid_rows", "rows"])
        return _render_preview(request, program, pending, report)
    if pending.rows > import_jobs.JOB_ROWS:
        pending.save(update_fields=["sheet", "mapping", "decisions"])
        job = import_jobs.participants_import_start(
            pending=pending,
            by=request.user,
            valid_only=action == "valid_only",
            language=get_language(),
        )
        messages.info(
            request, _("The import runs in the background; this page shows how far it is.")
        )
        return redirect(job)
    try:
        report = _run(request, program, pending, valid_only=action == "valid_only")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("participant_import", program_slug=program.slug)
    if not report.written:
        pending.save(update_fields=["sheet", "mapping", "decisions"])
        messages.error(
            request, _("The file has invalid rows or undecided conflicts; nothing was written.")
        )
        preview = _run(request, program, pending, dry_run=True)  # with its rows, for the page
        return _render_preview(request, program, pending, preview)
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
            "skipped": len(report.invalid_rows) + len(report.conflicts),
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


@require_POST
def participant_import_undo(request, program_slug, import_id):
    program = get_program_for_user(request, program_slug, manage=True)
    record = get_object_or_404(ParticipantImport, pk=import_id, program=program)
    try:
        services.participants_import_undo(record=record, by=request.user)
    except ValidationError as error:
        messages.error(
            request,
            _("This import cannot be undone: %(reasons)s") % {"reasons": "; ".join(error.messages)},
        )
    else:
        messages.success(request, _("Import undone."))
    return redirect("participant_import_history", program_slug=program.slug)


@require_GET
def participant_import_history(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    return render(
        request,
        "participants/import_history.html",
        {
            "program": program,
            "imports": program.imports.select_related("imported_by").defer("undo")[:200],
        },
    )


TEMPLATE_HEADER = ["Nama", "No HP", "NIK", "Tahun Lahir", "Dusun", "RT", "RW", "Alamat", "Jalur"]


TEMPLATE_ROWS = 2000


@require_GET
def participant_import_template(request, program_slug):
    """The headers on the first sheet, NIK and phone as text for the whole column;
    an example on a sheet of its own, so that it is never imported."""
    get_program_for_user(request, program_slug, manage=True)
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Peserta"
    sheet.append(TEMPLATE_HEADER)
    note = _("Text column: type the number with its leading 0; every digit is kept.")
    for column in ("B", "C"):  # text, so that Excel keeps leading zeros and all 16 digits
        sheet.column_dimensions[column].number_format = "@"
        sheet.column_dimensions[column].width = 20
        sheet[f"{column}1"].comment = Comment(note, "PKK")
        for (cell,) in sheet.iter_rows(
            min_row=2, max_row=TEMPLATE_ROWS, min_col=ord(column) - 64, max_col=ord(column) - 64
        ):
            cell.number_format = "@"
    example = workbook.create_sheet("Contoh")
    example.append(TEMPLATE_HEADER)
    example.append(
        [
            EXAMPLE_NAME,
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
    for column in ("B", "C"):
        example.column_dimensions[column].number_format = "@"
        example[f"{column}2"].number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="template-peserta.xlsx"'
    return response
