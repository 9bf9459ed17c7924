from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sessions.models import Membership, Program, TrainingSession

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
SESSION_FIELDS = ("phase", "title", "date", "start_time", "end_time", "venue", "notes")


def _assign(instance, fields, data):
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])


def program_create(*, organization, by, **data):
    program = Program(organization=organization)
    _assign(program, PROGRAM_FIELDS, data)
    program.full_clean()
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:  # a concurrent create took the slug
        raise ValidationError({"slug": _("This short address is already taken.")}) from None
    return program


def program_update(*, program, by, **data):
    _assign(program, PROGRAM_FIELDS, data)
    program.full_clean()
    program.save()
    return program


def session_create(*, program, by, facilitators=(), **data):
    session = TrainingSession(program=program)
    _assign(session, SESSION_FIELDS, data)
    session.full_clean()
    _check_facilitators(program, facilitators)
    with transaction.atomic():
        session.save()
        session.facilitators.set(facilitators)
    return session


def session_update(*, session, by, facilitators=None, **data):
    _assign(session, SESSION_FIELDS, data)
    session.full_clean()
    if facilitators is not None:
        _check_facilitators(session.program, facilitators)
    with transaction.atomic():
        session.save()
        if facilitators is not None:
            session.facilitators.set(facilitators)
    return session


def _check_facilitators(program, users):
    member_ids = set(program.memberships.values_list("user_id", flat=True))
    if any(user.pk not in member_ids for user in users):
        raise ValidationError({"facilitators": _("Facilitators must be members of this program.")})


def membership_add(*, program, user, role, by):
    """Add the user to the program, or change their role if already a member."""
    membership, created = Membership.objects.update_or_create(
        program=program, user=user, defaults={"role": role}
    )
    return membership


def membership_remove(*, membership, by):
    if membership.user_id == by.pk:
        raise ValidationError(_("You cannot remove yourself from a program."))
    with transaction.atomic():
        TrainingSession.facilitators.through.objects.filter(
            trainingsession__program=membership.program, user=membership.user
        ).delete()
        membership.delete()


def session_delete(*, session, by):
    session.delete()
