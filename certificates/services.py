from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import rendering, selectors
from certificates.codes import card_code_new, card_code_valid, normalize, verification_code_new
from certificates.models import Card, Certificate, CertificateSettings
from certificates.numbers import number_format_check, number_make
from participants.enums import EnrollmentStatus
from participants.models import Enrollment
from sessions.enums import AttendanceStatus
from sessions.services import attendance_mark

SETTINGS_FIELDS = (
    "min_sessions",
    "checklist",
    "post_test",
    "min_score",
    "number_format",
    "program_code",
    "title",
    "statement",
)


def certificate_settings_update(*, program, **data):
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    number_format_check(data.get("number_format", "{nomor}"))
    checklist = data.get("checklist")
    if checklist is not None and checklist.organization_id not in (
        None,
        program.organization_id,
    ):
        raise ValidationError({"checklist": _("This checklist belongs to another organization.")})
    post_test = data.get("post_test")
    if post_test is not None and post_test.program_id != program.pk:
        raise ValidationError({"post_test": _("This survey belongs to another program.")})
    if data.get("min_score") is not None and data["min_score"] > 100:
        raise ValidationError({"min_score": _("A score is at most 100.")})
    settings, _created = CertificateSettings.objects.update_or_create(
        program=program, defaults=data
    )
    return settings


def cards_ensure(*, program):
    """Every active enrolment of the program has a card; returns them by name.
    Codes are random, so a collision is possible and simply drawn again."""
    missing = list(
        Enrollment.objects.active()
        .filter(program=program, card__isnull=True)
        .values_list("pk", flat=True)
    )
    for enrollment_id in missing:
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    Card.objects.get_or_create(
                        enrollment_id=enrollment_id, defaults={"code": card_code_new()}
                    )
                break
            except IntegrityError:
                continue
    return list(
        Card.objects.filter(enrollment__program=program, enrollment__in=Enrollment.objects.active())
        .select_related("enrollment__participant")
        .order_by("enrollment__participant__full_name", "pk")
    )


def _unique_codes(count):
    codes = set()
    while len(codes) < count:
        codes.add(verification_code_new())
    taken = set(Certificate.objects.filter(code__in=codes).values_list("code", flat=True))
    return [code for code in codes if code not in taken] + (
        _unique_codes(len(taken)) if taken else []
    )


def certificates_generate(
    *,
    program,
    by,
    verify_url: Callable[[str], str],
    progress: Callable[[int, int], None] | None = None,
    on_document: Callable[[object], None] | None = None,
):
    """Issue a certificate to each eligible participant who has no valid one.

    Running it again issues nothing new. The whole batch is laid out once and
    each page written as its own PDF, whose SHA-256 is kept with it.
    Returns the certificates issued by this call; `on_document`, if given,
    receives the laid-out batch (for writing it as one file as well).
    """
    with transaction.atomic():
        settings, _created = CertificateSettings.objects.select_for_update().get_or_create(
            program=program
        )
        pending = selectors.eligibility(program).pending
        if not pending:
            return []
        now = timezone.now()
        day = timezone.localdate(now)
        start = Certificate.objects.filter(program=program).aggregate(n=Max("sequence"))["n"] or 0
        code = settings.program_code or program.slug.upper()
        certificates = [
            Certificate(
                program=program,
                enrollment=row.enrollment,
                name=row.enrollment.participant.full_name,
                sequence=start + i,
                number=number_make(settings.number_format, sequence=start + i, code=code, day=day),
                code=verification,
                issued_at=now,
                issued_by=by,
            )
            for i, (row, verification) in enumerate(
                zip(pending, _unique_codes(len(pending)), strict=True), start=1
            )
        ]
        document = rendering.certificates_document(program, settings, certificates, verify_url)
        total = len(certificates)
        for done, (certificate, (pdf, sha256)) in enumerate(
            zip(certificates, rendering.split_pages(document), strict=True), start=1
        ):
            certificate.pdf = pdf
            certificate.sha256 = sha256
            if progress and done % 25 == 0:
                progress(done, total)
        Certificate.objects.bulk_create(certificates)
        if on_document:
            on_document(document)
        if progress:
            progress(total, total)
        return certificates


def certificate_revoke(*, certificate, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.revoked_by = by
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    return certificate


class CardRefused(ValidationError):
    pass


def card_scan(*, session, code, by, mark_id=None):
    """Mark present the enrolment a scanned or typed card code names.

    A code of another program marks nothing and says so. Idempotent per
    `mark_id`, like every mark. Returns (enrollment, its attendance).
    """
    code = normalize(code)
    if not card_code_valid(code):
        raise CardRefused(_("This is not a card code: check the characters."), code="bad_code")
    card = (
        Card.objects.select_related("enrollment__participant", "enrollment__program")
        .filter(code=code)
        .first()
    )
    if card is None:
        raise CardRefused(_("No card has this code."), code="unknown_card")
    enrollment = card.enrollment
    if enrollment.program_id != session.program_id:
        raise CardRefused(
            _("This card belongs to another program: nobody was marked."), code="other_program"
        )
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise CardRefused(
            _("%(name)s has withdrawn from the program: nobody was marked.")
            % {"name": enrollment.participant.full_name},
            code="withdrawn",
        )
    attendance, _changed = attendance_mark(
        session=session,
        enrollment=enrollment,
        status=AttendanceStatus.PRESENT,
        by=by,
        mark_id=mark_id,
    )
    return enrollment, attendance
