"""Taking the roll: marks in place over htmx, walk-ins, the paper list, exports."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants.access import get_organization_participant_for_user
from participants.models import Enrollment
from participants.services import DuplicateParticipant
from participants.validators import mask_phone
from pkk_training.exports import spreadsheet_response
from pkk_training.forms import PageForm, add_service_errors, query_params
from pkk_training.http import offline_page, posted
from pkk_training.pdf import render_pdf
from programs import permissions
from programs.access import get_program_for_user
from programs.enums import AuditAction
from programs.services import audit_record
from sessions import selectors, services
from sessions.access import get_marking_session_for_user, get_session_for_user
from sessions.enums import AttendanceStatus
from sessions.forms import MarkForm, TapTimeForm, WalkInForm
from sessions.roll_markup import RollMarkup


def _roll_url(session, participant_id=None):
    url = session.get_absolute_url()
    return f"{url}#p-{participant_id}" if participant_id else url


def _recording_session(request, program_slug, session_id):
    session = get_session_for_user(request, program_slug, session_id)
    if not permissions.can_record(request.user, session.program):
        raise PermissionDenied
    return session


@require_POST
def attendance_mark(request, program_slug, session_id):
    form = MarkForm(request.POST)
    if not form.is_valid():
        _recording_session(request, program_slug, session_id)  # an outsider learns nothing
        return HttpResponse(_("Invalid mark."), status=400, content_type="text/plain")
    session, enrollment = get_marking_session_for_user(
        request, program_slug, session_id, form.cleaned_data["participant"]
    )
    status = form.cleaned_data["status"]
    try:
        attendance, changed = services.attendance_mark(
            session=session,
            enrollment=enrollment,
            status=status,
            by=request.user,
            mark_id=form.cleaned_data["mark_id"],
            move_enrollment=form.cleaned_data["move_enrollment"],
            tapped_at=form.tap_time(timezone.now()),
        )
    except services.MarkNotApplied as refused:
        # The page must show the row as the database holds it, and say so.
        message = " ".join(refused.messages)
        if request.htmx:
            return _roll_row_response(
                session, enrollment, refused.attendance, note=message, status=409
            )
        messages.error(request, message)
        return redirect(_roll_url(session, enrollment.participant_id))
    except ValidationError as error:
        message = " ".join(error.messages)
        if request.htmx:
            return HttpResponse(message, status=409, content_type="text/plain")
        messages.error(request, message)
        return redirect(_roll_url(session))
    note = ""
    if not changed and (attendance.status if attendance else "") != status:
        note = _("A later tap had already set this; yours is kept in the change history.")
    if request.htmx:
        return _roll_row_response(session, enrollment, attendance, note=note)
    if note:
        messages.info(request, note)
    return redirect(_roll_url(session, enrollment.participant_id))


def _roll_row_response(session, enrollment, attendance, *, note="", status=200):
    # Written in Python without a template (sessions/roll_markup.py): every tap answers with it.
    row = selectors.roll_row(session, enrollment, attendance)
    return HttpResponse(RollMarkup(session).row(row, note), status=status)


@require_POST
def attendance_mark_all(request, program_slug, session_id):
    session = _recording_session(request, program_slug, session_id)
    try:
        batch_id = uuid.UUID(request.POST.get("mark_id", ""))
    except ValueError:
        batch_id = None
    result = services.attendance_mark_all_present(
        session=session,
        by=request.user,
        batch_id=batch_id,
        tapped_at=TapTimeForm(request.POST).tap_time(timezone.now()),
    )
    summary = _mark_all_summary(result)
    if request.htmx:
        return _roll_response(request, session, summary=summary, undo_batch=result.batch_id)
    messages.success(request, summary)
    return redirect(_roll_url(session))


def _mark_all_summary(result):
    parts = [_("%(count)d marked present") % {"count": result.marked}]
    if result.not_yet_enrolled:
        parts.append(
            _("%(count)d not yet enrolled on the day of the session")
            % {"count": result.not_yet_enrolled}
        )
    if result.already_marked:
        parts.append(_("%(count)d already marked") % {"count": result.already_marked})
    return "; ".join(parts) + "."


def _roll_response(request, session, *, summary, undo_batch=None):
    return render(
        request,
        "sessions/_roll.html",
        {
            "roll": selectors.roll_lines(session),
            "session": session,
            "program": session.program,
            "summary": summary,
            "undo_batch": undo_batch,
        },
    )


@require_POST
def attendance_mark_all_undo(request, program_slug, session_id):
    """Take back exactly the marks one "mark all" made (never later ones)."""
    session = _recording_session(request, program_slug, session_id)
    try:
        batch_id = uuid.UUID(request.POST.get("batch", ""))
    except ValueError:
        message = _("Nothing to undo: the request did not name a “mark all”.")
        if request.htmx:
            return HttpResponse(message, status=400, content_type="text/plain")
        messages.error(request, message)
        return redirect(_roll_url(session))
    cleared = services.attendance_mark_all_undo(session=session, batch_id=batch_id, by=request.user)
    summary = _("Undone: %(count)d marks cleared.") % {"count": cleared}
    if request.htmx:
        return _roll_response(request, session, summary=summary)
    messages.success(request, summary)
    return redirect(_roll_url(session))


@require_http_methods(["GET", "POST"])
@offline_page
def attendance_walk_in(request, program_slug, session_id):
    session = _recording_session(request, program_slug, session_id)
    form = WalkInForm(posted(request), can_see_nik=False, program=session.program)
    duplicate = None
    if request.method == "POST" and request.htmx:
        return _walk_in_from_outbox(request, session, form)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the person, her mark and the extensions, or nothing
                attendance = services.attendance_walk_in(
                    session=session, by=request.user, **form.participant_data()
                )
                form.save_extensions(
                    Enrollment.objects.get(
                        program=session.program, participant_id=attendance.participant_id
                    ),
                    request.user,
                )
        except DuplicateParticipant as error:
            add_service_errors(form, error)
            duplicate = error.existing
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered and marked present.")
                % {"name": attendance.participant.full_name},
            )
            return redirect(_roll_url(session, attendance.participant_id))
    return render(
        request,
        "sessions/attendance_walk_in.html",
        {"session": session, "program": session.program, "form": form, "duplicate": duplicate},
    )


def _same_name(a, b):
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _walk_in_from_outbox(request, session, form):
    """A walk-in registered on a phone, maybe offline, sent by its outbox.

    Answers with her roll row. The usual duplicate rules apply: the same
    phone and the same name are the person already known, who is marked
    present; the same phone with another name is kept on the phone for the
    facilitator to decide (409). A repeat of the same entry registers nobody twice.
    """
    try:
        mark_id = uuid.UUID(request.POST.get("mark_id", ""))
    except ValueError:
        mark_id = None
    if not form.is_valid():
        errors = [f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()]
        return HttpResponse(" ".join(errors), status=400, content_type="text/plain")
    data = form.participant_data()
    note = ""
    try:
        with transaction.atomic():
            replayed = mark_id and services.attendance_replayed(session=session, mark_id=mark_id)
            try:
                with transaction.atomic():
                    attendance = replayed or services.attendance_walk_in(
                        session=session, by=request.user, mark_id=mark_id, **data
                    )
                    enrollment = Enrollment.objects.select_related("participant").get(
                        program=session.program, participant_id=attendance.participant_id
                    )
                    if not replayed:
                        form.save_extensions(enrollment, request.user)
            except DuplicateParticipant as error:
                known = error.existing
                if not _same_name(known.full_name, data["full_name"]):
                    message = _(
                        "Not registered: the phone number belongs to %(name)s. "
                        "Open the walk-in form to decide whether it is her."
                    ) % {"name": known.full_name}
                    return HttpResponse(message, status=409, content_type="text/plain")
                attendance = services.attendance_walk_in_known(
                    session=session, participant=known, by=request.user, mark_id=mark_id
                )
                enrollment = Enrollment.objects.select_related("participant").get(
                    program=session.program, participant_id=known.pk
                )
                note = _("Already registered (same phone and name): marked present.")
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain")
    return _roll_row_response(session, enrollment, attendance, note=note)


@require_POST
def attendance_walk_in_known(request, program_slug, session_id, participant_id):
    session = _recording_session(request, program_slug, session_id)
    _program, participant = get_organization_participant_for_user(
        request, program_slug, participant_id
    )
    try:
        services.attendance_walk_in_known(session=session, participant=participant, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("attendance_walk_in", program_slug=program_slug, session_id=session.pk)
    messages.success(request, _("%(name)s is marked present.") % {"name": participant.full_name})
    return redirect(_roll_url(session, participant.pk))


@require_GET
def attendance_history(request, program_slug, session_id):
    session = get_session_for_user(request, program_slug, session_id, manage=True)
    page_number = query_params(request, PageForm)["page"]
    page = Paginator(selectors.attendance_history(session), 100).get_page(page_number)
    return render(
        request,
        "sessions/attendance_history.html",
        {"session": session, "program": session.program, "events": page},
    )


@require_GET
def attendance_sheet_pdf(request, program_slug, session_id):
    """The printable daftar hadir: A4, a signature column, page numbers."""
    session = get_session_for_user(request, program_slug, session_id)
    roll = selectors.roll_call(session)
    rows = [
        {"participant": r.participant, "phone": mask_phone(r.participant.phone)}
        for r in roll.rows
        if r.eligible
    ]
    pdf = render_pdf(
        "sessions/attendance_sheet.html",
        {
            "session": session,
            "program": session.program,
            "rows": rows,
            "facilitators": session.facilitators.order_by("first_name", "username"),
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="daftar-hadir-{session.date:%Y%m%d}-{slugify(session.title)[:40]}.pdf"'
    )
    return response


@require_GET
def attendance_export(request, program_slug, session_id, file_format):
    session = get_session_for_user(request, program_slug, session_id)
    roll = selectors.roll_call(session)
    status_labels = dict(AttendanceStatus.choices)
    rows = [
        [
            number,
            row.participant.full_name,
            row.participant.dusun,
            row.participant.rt_rw,
            status_labels.get(row.status, _("Not marked"))
            if row.eligible
            else _("Not yet enrolled"),
            (row.attendance.marked_by.get_full_name() or row.attendance.marked_by.username)
            if row.attendance and row.attendance.marked_by
            else "",
            timezone.localtime(row.attendance.marked_at).strftime("%Y-%m-%d %H:%M")
            if row.attendance
            else "",
        ]
        for number, row in enumerate(roll.rows, start=1)
    ]
    header = [
        pgettext("row number", "No"),
        _("Name"),
        _("Dusun"),
        _("RT/RW"),
        _("Status"),
        _("Marked by"),
        _("Marked at"),
    ]
    audit_record(
        by=request.user,
        action=AuditAction.EXPORT,
        program=session.program,
        detail=f"attendance {session.title}.{file_format}",
        people=len(rows),
    )
    return spreadsheet_response(
        rows=rows,
        header=header,
        file_format=file_format,
        filename=f"kehadiran-{session.date:%Y%m%d}-{slugify(session.title)[:40]}",
        sheet_title=_("Attendance"),
    )


@require_GET
def program_attendance(request, program_slug):
    program = get_program_for_user(request, program_slug)
    participants = Paginator(selectors.participant_attendance(program), 100).get_page(
        query_params(request, PageForm)["page"]
    )
    return render(
        request,
        "sessions/program_attendance.html",
        {
            "program": program,
            "sessions": selectors.session_attendance_summary(program),
            "participants": participants,
        },
    )
