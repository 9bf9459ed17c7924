"""The role rule, written once: who may do what in a program.

Roles in a program, from most to least powerful: an admin (a superuser, or a
staff account given the explicit permission `programs.administer_all`; being staff
alone only opens the Django admin: everything, the only one who sees a whole NIK), a coordinator
(a program coordinator or a coordinator of the program's organization:
manages the program, its sessions and members), a facilitator (records
participants, attendance and progress). Anyone else is an outsider, and the
access helpers answer 404 to outsiders.

`program_role` (Python, for one program in hand) and `role_expression` (SQL,
for querysets of many) are the same rule twice; tests/programs/test_permissions.py
checks them against each other for every kind of user.
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When

from programs.enums import MembershipRole

ADMIN = "admin"
COORDINATOR = MembershipRole.COORDINATOR.value
FACILITATOR = MembershipRole.FACILITATOR.value


ADMIN_PERMISSION = "programs.administer_all"


def is_admin(user):
    """A superuser, or a staff account holding the explicit permission; staff alone is not.

    Only staff accounts are asked for the permission, so that the pages of
    facilitators and coordinators pay no permission queries."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser or (user.is_staff and user.has_perm(ADMIN_PERMISSION)))


def program_role(user, program):
    """The user's role in the program, or None; cached on the program instance."""
    cache = program.__dict__.setdefault("_role_cache", {})
    if user.pk not in cache:
        cache[user.pk] = _compute_program_role(user, program)
    return cache[user.pk]


def remember_program_role(user, program, role):
    """Seed the cache with a role already computed in SQL by `role_expression`."""
    program.__dict__.setdefault("_role_cache", {})[user.pk] = role


def _compute_program_role(user, program):
    if not user.is_authenticated or not user.is_active:
        return None
    if is_admin(user):
        return ADMIN
    if program.organization.memberships.filter(user=user).exists():
        return COORDINATOR
    return program.memberships.filter(user=user).values_list("role", flat=True).first()


def role_expression(user, path=""):
    """SQL for the user's role in the program reached by `path` ("" or "program__").

    The twin of `program_role`; only for authenticated, active users (callers
    return an empty queryset for anyone else).
    """
    if is_admin(user):
        return Value(ADMIN)
    return member_role_expression(user, path)


def prepared_role_expression(P, admin, path=""):
    """`role_expression` in a query compiled once for many users
    (pkk_training.prepared): whether she is an admin is the query's kind, her
    id its "user" value."""
    return Value(ADMIN) if admin else member_role_expression(P("user", IntegerField()), path)


def member_role_expression(user, path=""):
    """`role_expression` for someone who is not an admin. `user` may also be an
    expression standing for her id, in a query compiled once for many users
    (pkk_training.prepared)."""
    from programs.models import Membership, OrganizationMembership

    program_ref = path[:-2] if path else "pk"
    coordinates_org = OrganizationMembership.objects.filter(
        organization=OuterRef(f"{path}organization"), user=user
    )
    member_role = Membership.objects.filter(program=OuterRef(program_ref), user=user).values(
        "role"
    )[:1]
    return Case(
        When(Exists(coordinates_org), then=Value(COORDINATOR)),
        default=Subquery(member_role),
    )


def can_view_program(user, program):
    return program_role(user, program) is not None


def can_manage_program(user, program):
    return program_role(user, program) in {ADMIN, COORDINATOR}


def can_record(user, program):
    """Facilitators and up enter participants, attendance and progress."""
    return program_role(user, program) in {ADMIN, COORDINATOR, FACILITATOR}


def can_see_full_nik(user):
    return is_admin(user)


def can_create_program(user):
    return is_admin(user) or user.organization_memberships.exists()


def organization_ids(user, *, coordinating):
    """Organizations the user coordinates (an organization coordinator, or a
    coordinator of one of its programs), or with coordinating=False any the
    user works in (also as a facilitator)."""
    from programs.models import Membership, OrganizationMembership

    if not user.is_authenticated:
        return set()
    memberships = Membership.objects.filter(user=user)
    if coordinating:
        memberships = memberships.filter(role=COORDINATOR)
    return set(
        OrganizationMembership.objects.filter(user=user).values_list("organization_id", flat=True)
    ) | set(memberships.values_list("program__organization_id", flat=True))


def can_issue_password_reset(user, membership):
    """An admin for any member; a coordinator for a facilitator (never for an admin account)."""
    if is_admin(user):
        return True
    target = membership.user
    return (
        can_manage_program(user, membership.program)
        and membership.role == FACILITATOR
        and not (target.is_staff or target.is_superuser)
        and target.pk != user.pk
    )


def can_unlock_accounts(user, organization):
    """Who may lift login lockouts of an organization's accounts: an admin, or a
    coordinator of the organization (or of one of its programs)."""
    return is_admin(user) or organization.pk in organization_ids(user, coordinating=True)


def can_unlock_account(user, account):
    """An admin any account; a coordinator never an admin account (nor her own)."""
    if is_admin(user):
        return True
    return not (account.is_staff or account.is_superuser) and account.pk != user.pk
