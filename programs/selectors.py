from django.contrib.auth import get_user_model
from django.db.models import Q

from programs.models import Organization, Program
from programs.permissions import ADMIN, COORDINATOR, is_admin, role_expression


def programs_visible_to(user):
    """Programs the user may open, each annotated with `user_role`."""
    programs = Program.objects.select_related("organization")
    if not user.is_authenticated or not user.is_active:
        return programs.none()
    return programs.annotate(user_role=role_expression(user)).filter(user_role__isnull=False)


def programs_managed_by(user):
    """The queryset twin of `can_manage_program`: programs an admin or a coordinator runs."""
    if not user.is_authenticated or not user.is_active:
        return Program.objects.none()
    return programs_visible_to(user).filter(user_role__in=[ADMIN, COORDINATOR])


def organizations_for_new_program(user):
    if is_admin(user):
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user)


def organizations_coordinated(user):
    """The organizations the user coordinates as a whole (their roll-ups)."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def program_members(program):
    return program.memberships.select_related("user").order_by("role", "user__username")


def program_staff_choices(program):
    """Users who can be picked as a session's facilitators: the program's members."""
    return (
        get_user_model()
        .objects.filter(program_memberships__program=program)
        .order_by("first_name", "username")
    )


def organization_accounts(organization):
    """Active accounts that work in the organization: its coordinators and its programs' members."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(organization_memberships__organization=organization)
            | Q(program_memberships__program__organization=organization)
        )
        .distinct()
    )


def member_candidates(user, program):
    """Accounts the user may add to the program: an admin any active one, a
    coordinator only those already working in the program's organization."""
    if is_admin(user):
        return get_user_model().objects.filter(is_active=True)
    return organization_accounts(program.organization)


def audit_events(organization):
    return organization.audit_events.select_related("user", "program")


def locked_usernames():
    """Usernames django-axes is refusing right now (from at least one client)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, username__isnull=False
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.values("username")


def locked_accounts(organization):
    """The organization's accounts locked out of logging in, by username."""
    return (
        organization_accounts(organization)
        .filter(username__in=locked_usernames())
        .order_by("username")
    )
