"""Cards, the certificate list, issuing and revoking, and the public verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certificates import jobs, rendering, selectors, services
from certificates.access import get_certificate_for_user
from certificates.codes import normalize, verification_code_valid
from certificates.forms import CardCodeForm, CertificateSettingsForm, RevokeForm
from certificates.models import Certificate
from pkk_training.forms import run_service
from pkk_training.http import posted
from pkk_training.ratelimit import client_ip, rate_limit_hit, too_many_requests
from pkk_training.whatsapp import wa_link
from programs import permissions
from programs.access import get_program_for_user
from sessions import selectors as session_selectors
from sessions.access import get_session_for_user
from sessions.roll_markup import RollMarkup

# Per client: enough for a hall checking a pile of certificates, far too few to
# walk the 31^12 codes.
VERIFY_LIMIT = (30, 10 * 60)


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def _share_text(request, certificate):
    url = request.build_absolute_uri(certificate.get_verification_path())
    return _("Your certificate of “%(program)s”: %(url)s") % {
        "program": certificate.program.name,
        "url": url,
    }


@require_GET
def certificate_list(request, program_slug):
    program = get_program_for_user(request, program_slug)
    result = selectors.eligibility(program)
    rows = []
    for row in result.rows:
        share = None
        if row.certificate is not None and row.enrollment.participant.phone:
            row.certificate.program = program
            share = wa_link(_share_text(request, row.certificate), row.enrollment.participant.phone)
        rows.append((row, share))
    revoked = selectors.program_certificates(program).filter(revoked_at__isnull=False)
    return render(
        request,
        "certificates/certificate_list.html",
        {
            "program": program,
            "result": result,
            "rows": rows,
            "revoked": revoked,
            "can_manage": permissions.can_manage_program(request.user, program),
            "revoke_form": RevokeForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def certificate_settings_edit(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = CertificateSettingsForm(
        posted(request), instance=selectors.certificate_settings(program), program=program
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if run_service(form, services.certificate_settings_update, program=program, **data):
            messages.success(request, _("Certificate settings saved."))
            return redirect("certificate_list", program_slug=program.slug)
    return render(
        request, "certificates/certificate_settings.html", {"program": program, "form": form}
    )


@require_POST
def certificates_generate(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    job = jobs.certificates_generate_start(
        program=program,
        by=request.user,
        base_url=_base_url(request),
        language=translation.get_language(),
    )
    return redirect(job)


@require_GET
def certificate_pdf(request, program_slug, certificate_id):
    certificate = get_certificate_for_user(request, program_slug, certificate_id)
    response = HttpResponse(bytes(certificate.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{certificate.pk}.pdf"'
    return response


@require_POST
def certificate_revoke(request, program_slug, certificate_id):
    certificate = get_certificate_for_user(request, program_slug, certificate_id, manage=True)
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the certificate is revoked."))
        services.certificate_revoke(
            certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("certificate_list", program_slug=program_slug)


@require_GET
def cards_pdf(request, program_slug):
    program = get_program_for_user(request, program_slug)
    if not permissions.can_record(request.user, program):
        raise PermissionDenied
    cards = services.cards_ensure(program=program)
    response = HttpResponse(rendering.cards_pdf(program, cards), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kartu-{program.slug}.pdf"'
    return response


@require_POST
def card_scan(request, program_slug, session_id):
    """A card scanned or typed on the roll page: JSON for the page's script."""
    session = get_session_for_user(request, program_slug, session_id)
    if not permissions.can_record(request.user, session.program):
        raise PermissionDenied
    form = CardCodeForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "message": _("Type or scan a card code.")}, status=400)
    try:
        enrollment, attendance = services.card_scan(
            session=session,
            code=form.cleaned_data["code"],
            by=request.user,
            mark_id=form.cleaned_data["mark_id"],
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        if "X-Outbox-Id" in request.headers:  # sent later by the outbox: kept there for review
            return HttpResponse(message, status=409, content_type="text/plain")
        return JsonResponse({"ok": False, "message": message}, status=409)
    row = session_selectors.roll_row(session, enrollment, attendance)
    return JsonResponse(
        {
            "ok": True,
            "message": _("%(name)s: present.") % {"name": enrollment.participant.full_name},
            "participant": str(enrollment.participant_id),
            "row": RollMarkup(session).row(row),
        }
    )


@login_not_required
@require_GET
def certificate_verify(request, code):
    """Public: anyone holding a certificate may check it. Same page for every
    unknown code; never a phone number or NIK."""
    limit, window = VERIFY_LIMIT
    if not rate_limit_hit(f"verify:{client_ip(request)}", limit=limit, window=window):
        return too_many_requests(request)
    code = normalize(code)
    certificate = None
    if verification_code_valid(code):
        certificate = (
            Certificate.objects.select_related("program__organization")
            .defer("pdf")
            .filter(code=code)
            .first()
        )
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "code": code[:12]},
        status=200 if certificate else 404,
    )
