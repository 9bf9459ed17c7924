from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs import hooks
from programs.models import Membership, Program

PROGRAM_FIELDS = (
    "name",
    "slug",
    "description",
    "village",
    "district",
    "regency",
    "province",
    "start_date",
    "end_date",
    "status",
)


def assign_fields(instance, fields, data):
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])


def program_create(*, organization, **data):
    program = Program(organization=organization)
    assign_fields(program, PROGRAM_FIELDS, data)
    program.full_clean()
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:  # a concurrent create took the slug
        raise ValidationError({"slug": _("This short address is already taken.")}) from None
    return program


def program_update(*, program, **data):
    assign_fields(program, PROGRAM_FIELDS, data)
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
