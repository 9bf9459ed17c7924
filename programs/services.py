import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs import hooks, regions
from programs.enums import AuditAction
from programs.models import Membership, Program

PROGRAM_FIELDS = (
    "name",
    "slug",
    "description",
    "province_code",
    "regency_code",
    "district_code",
    "village_code",
    "start_date",
    "end_date",
    "status",
)

audit_logger = logging.getLogger("pkk_training.audit")


def assign_fields(instance, fields, data):
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])


REGION_FIELDS = (
    ("province_code", "province"),
    ("regency_code", "regency"),
    ("district_code", "district"),
    ("village_code", "village"),
)


def _apply_region(program):
    """The four codes must name one village and the regions above it; the
    place names are then copied from the official list."""
    codes = [getattr(program, field) for field, _name in REGION_FIELDS]
    for (field, _name), code in zip(REGION_FIELDS, codes, strict=True):
        if not code:
            raise ValidationError({field: _("Choose the location down to the village.")})
    chain = regions.path(codes[-1])
    if [r.code for r in chain] != codes:
        raise ValidationError({"village_code": _("This village is not in the chosen district.")})
    for (_field, name), region in zip(REGION_FIELDS, chain, strict=True):
        setattr(program, name, region.name)
    program.location_unmatched = False


def program_create(*, organization, **data):
    program = Program(organization=organization)
    assign_fields(program, PROGRAM_FIELDS, data)
    _apply_region(program)
    program.full_clean()
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:  # a concurrent create took the slug
        raise ValidationError({"slug": _("This short address is already taken.")}) from None
    return program


def program_update(*, program, **data):
    assign_fields(program, PROGRAM_FIELDS, data)
    _apply_region(program)
    program.full_clean()
    program.save()
    return program


def membership_add(*, program, user, role):
    """Add the user to the program, or change their role if already a member."""
    membership, _created = Membership.objects.update_or_create(
        program=program, user=user, defaults={"role": role}
    )
    return membership


def membership_remove(*, membership, by):
    if membership.user_id == by.pk:
        raise ValidationError(_("You cannot remove yourself from a program."))
    with transaction.atomic():
        for hook in hooks.membership_removing:
            hook(membership)
        membership.delete()


def password_reset_link_issue(*, membership, by):
    """A one-time link (path) that lets the member choose a new password; her lockouts lifted.

    Django's token is spent once the password changes (it hashes the password)
    and expires after PASSWORD_RESET_TIMEOUT."""
    from axes.utils import reset as axes_reset
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = membership.user
    axes_reset(username=user.get_username())
    audit_logger.info("password_reset_link user=%s by=%s", user.pk, by.pk)
    audit_record(
        by=by,
        action=AuditAction.PASSWORD_LINK,
        program=membership.program,
        detail=user.get_username(),
        people=0,
    )
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def account_unlock(*, organization, account, by):
    """Lift every django-axes lockout of `account` (all clients); logged. Returns how
    many lockout records were cleared."""
    from axes.utils import reset as axes_reset

    cleared = axes_reset(username=account.get_username())
    audit_logger.info("account_unlock user=%s by=%s", account.pk, by.pk)
    audit_record(
        by=by,
        action=AuditAction.ACCOUNT_UNLOCK,
        organization=organization,
        detail=account.get_username(),
        people=0,
    )
    return cleared


def audit_record(*, by, action, organization=None, program=None, detail="", people=0, subject=None):
    """Log one access to personal data; `by` None for the system (commands, jobs)."""
    from programs.models import AuditEvent

    return AuditEvent.objects.create(
        organization=organization or program.organization,
        program=program,
        user=by if by is not None and by.is_authenticated else None,
        action=action,
        detail=str(detail)[:200],
        people=people,
        subject=subject,
    )
