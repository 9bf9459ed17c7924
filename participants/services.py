from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.enums import EnrollmentSource, EnrollmentStatus
from participants.models import Enrollment, Participant
from participants.validators import normalize_nik, normalize_phone

PARTICIPANT_FIELDS = (
    "full_name",
    "phone",
    "nik",
    "birth_year",
    "dusun",
    "rt",
    "rw",
    "address",
    "village",
)


class DuplicateParticipant(ValidationError):
    """The phone or NIK already belongs to `existing` in the same organization."""

    def __init__(self, message, *, field, existing):
        super().__init__({field: ValidationError(message, code="duplicate")})
        self.existing = existing


def _clean_keys(data):
    if "phone" in data:
        data["phone"] = normalize_phone(data["phone"])
    if "nik" in data:
        data["nik"] = normalize_nik(data["nik"])
    if "full_name" in data:
        data["full_name"] = " ".join(str(data["full_name"] or "").split())


def _check_duplicates(organization, data, exclude=None):
    others = Participant.objects.filter(organization=organization)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if data.get("phone"):
        existing = others.filter(phone=data["phone"]).first()
        if existing:
            raise DuplicateParticipant(
                _("This phone number already belongs to %(name)s.") % {"name": existing.full_name},
                field="phone",
                existing=existing,
            )
    if data.get("nik"):
        existing = others.filter(nik=data["nik"]).first()
        if existing:
            raise DuplicateParticipant(
                _("This NIK already belongs to %(name)s.") % {"name": existing.full_name},
                field="nik",
                existing=existing,
            )


def _set_consent(participant, consent_method, by):
    if consent_method and consent_method != participant.consent_method:
        participant.consent_method = consent_method
        participant.consent_at = timezone.now()
        participant.consent_recorded_by = by


def participant_create(*, organization, by, consent_method, **data):
    """Create a participant with consent recorded; phone and NIK normalised and unique."""
    _clean_keys(data)
    _check_duplicates(organization, data)
    participant = Participant(organization=organization)
    for field in PARTICIPANT_FIELDS:
        if field in data:
            setattr(participant, field, data[field])
    _set_consent(participant, consent_method, by)
    participant.full_clean()
    try:
        with transaction.atomic():
            participant.save(force_insert=True)
    except IntegrityError:  # a concurrent registration of the same phone or NIK
        _check_duplicates(organization, data)
        raise
    return participant


def participant_update(*, participant, by, consent_method=None, **data):
    _clean_keys(data)
    _check_duplicates(participant.organization, data, exclude=participant)
    for field in PARTICIPANT_FIELDS:
        if field in data:
            setattr(participant, field, data[field])
    _set_consent(participant, consent_method, by)
    participant.full_clean()
    participant.save()
    return participant


def enrollment_create(
    *, program, participant, by, source=EnrollmentSource.MANUAL, enrolled_on=None
):
    """Enroll a consenting participant of the program's organization, once."""
    if participant.organization_id != program.organization_id:
        raise ValidationError(_("This participant belongs to another organization."))
    if not participant.has_consent:
        raise ValidationError(
            _("%(name)s has not given consent to data processing and cannot be enrolled.")
            % {"name": participant.full_name},
            code="no_consent",
        )
    if Enrollment.objects.filter(program=program, participant=participant).exists():
        raise ValidationError(
            _("%(name)s is already enrolled in this program.") % {"name": participant.full_name},
            code="already_enrolled",
        )
    enrollment = Enrollment(
        program=program,
        participant=participant,
        source=source,
        created_by=by,
        enrolled_on=enrolled_on or timezone.localdate(),
    )
    try:
        with transaction.atomic():
            enrollment.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already enrolled in this program.") % {"name": participant.full_name},
            code="already_enrolled",
        ) from None
    return enrollment


@transaction.atomic
def participant_register(
    *, program, by, source=EnrollmentSource.MANUAL, consent_method, enrolled_on=None, **data
):
    """Create a participant and enroll them in the program, all or nothing."""
    participant = participant_create(
        organization=program.organization, by=by, consent_method=consent_method, **data
    )
    return enrollment_create(
        program=program, participant=participant, by=by, source=source, enrolled_on=enrolled_on
    )


def enrollment_update(*, enrollment, by, status):
    if status not in EnrollmentStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    enrollment.status = status
    enrollment.save(update_fields=["status", "updated_at"])
    return enrollment
