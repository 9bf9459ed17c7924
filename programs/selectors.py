from django.contrib.auth import get_user_model

from programs.models import Organization, Program
from programs.permissions import is_admin, role_expression


def programs_visible_to(user):
    """Programs the user may open, each annotated with `user_role`."""
    programs = Program.objects.select_related("organization")
    if not user.is_authenticated or not user.is_active:
        return programs.none()
    return programs.annotate(user_role=role_expression(user)).filter(user_role__isnull=False)


def organizations_for_new_program(user):
    if is_admin(user):
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user)


def program_members(program):
    return program.memberships.select_related("user").order_by("role", "user__username")


def program_staff_choices(program):
    """Users who can be picked as a session's facilitators: the program's members."""
    return (
        get_user_model()
        .objects.filter(program_memberships__program=program)
        .order_by("first_name", "username")
    )
