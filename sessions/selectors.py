from django.db.models import Case, Count, Exists, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from pkk_training.permissions import ADMIN, COORDINATOR, is_admin
from sessions.enums import SessionPhase
from sessions.models import Membership, OrganizationMembership, Program, TrainingSession


def programs_visible_to(user):
    """Programs the user may open, each annotated with `user_role`."""
    programs = Program.objects.select_related("organization")
    if not user.is_authenticated or not user.is_active:
        return programs.none()
    if is_admin(user):
        return programs.annotate(user_role=Value(ADMIN))
    coordinates_org = OrganizationMembership.objects.filter(
        organization=OuterRef("organization"), user=user
    )
    member_role = Membership.objects.filter(program=OuterRef("pk"), user=user).values("role")[:1]
    return programs.annotate(
        user_role=Case(
            When(Exists(coordinates_org), then=Value(COORDINATOR)),
            default=Subquery(member_role),
        )
    ).filter(user_role__isnull=False)


def home_programs(user):
    from participants.enums import EnrollmentStatus
    from participants.models import Enrollment

    # Counted in subqueries: two joined COUNTs would multiply rows
    # (participants × sessions) before DISTINCT takes them apart again.
    active = Enrollment.objects.filter(program=OuterRef("pk"), status=EnrollmentStatus.ACTIVE)
    sessions = TrainingSession.objects.filter(program=OuterRef("pk"))
    return programs_visible_to(user).annotate(
        participant_count=_count(active), session_count=_count(sessions)
    )


def _count(queryset):
    return Coalesce(
        Subquery(queryset.order_by().values("program").annotate(n=Count("pk")).values("n")),
        0,
    )


def organizations_for_new_program(user):
    from sessions.models import Organization

    if is_admin(user):
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user)


def sessions_by_phase(program):
    """[(phase label, [sessions…]), …] in the method's order, empty phases left out."""
    sessions = list(
        program.sessions.prefetch_related("facilitators").order_by("date", "start_time")
    )
    groups = []
    for phase in SessionPhase:
        in_phase = [s for s in sessions if s.phase == phase]
        if in_phase:
            groups.append((phase.label, in_phase))
    return groups


def program_members(program):
    return program.memberships.select_related("user").order_by("role", "user__username")


def program_staff_choices(program):
    """Users who can be picked as a session's facilitators: the program's members."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(program_memberships__program=program)
        .order_by("first_name", "username")
    )
