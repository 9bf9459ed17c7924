"""Fetch a program (or one of its memberships) and check access in one step.

An outsider gets 404 for everything in a program (a 403 would confirm that
the program exists); a member without the needed role gets 403. Each app
keeps the helpers for its own objects beside them, built on
`get_program_for_user`.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import CharField
from django.http import Http404
from django.shortcuts import get_object_or_404

from pkk_training.prepared import PreparedQuery, RowModels
from programs import permissions
from programs.models import Membership, Organization, Program
from programs.permissions import prepared_role_expression
from programs.selectors import programs_visible_to


def get_program_for_user(request, program_slug, *, manage=False, refine=None):
    """`refine`: a function of the visible programs' queryset returning it with
    what the page reads besides (e.g. annotations), so the program is read once."""
    if refine is None:
        program = _visible_program(request.user, program_slug)
    else:
        program = get_object_or_404(refine(programs_visible_to(request.user)), slug=program_slug)
    permissions.remember_program_role(request.user, program, program.user_role)
    if manage and not permissions.can_manage_program(request.user, program):
        raise PermissionDenied
    return program


def _visible_program(user, slug):
    """programs_visible_to(user).get(slug=slug), or 404, compiled once
    (pkk_training.prepared): every page of a program starts here, and building
    that query took more time than the database took to answer it."""
    if not (user.is_authenticated and user.is_active):
        raise Http404
    rows = _PROGRAM.rows(kind=permissions.is_admin(user), user=user.pk, slug=slug)
    if not rows:
        raise Http404
    (program, organization), (role,) = _PROGRAM_MODELS.read(rows[0])
    program.organization, program.user_role = organization, role
    return program


_PROGRAM_MODELS = RowModels(
    (Program, "", None),
    (Organization, "organization__", None),
)


def _program_query(P, admin):
    return (
        Program.objects.filter(slug=P("slug", CharField()))
        .annotate(user_role=prepared_role_expression(P, admin))
        .filter(user_role__isnull=False)
        .order_by()
        .values_list(*_PROGRAM_MODELS.columns, "user_role")[:1]
    )


_PROGRAM = PreparedQuery(_program_query)


def get_membership_for_user(request, program_slug, membership_id):
    program = get_program_for_user(request, program_slug, manage=True)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), program=program, pk=membership_id
    )
    membership.program = program
    return membership


def get_organization_for_user(request, organization_slug):
    """An organization and those of its programs the user may see; 404 if none."""
    programs = programs_visible_to(request.user).filter(organization__slug=organization_slug)
    first = programs.first()
    if first is None:
        raise Http404
    return first.organization, programs


def get_audited_organization_for_user(request, organization_slug):
    """An organization whose personal-data log the user may read: her
    organization's coordinators and admins; 404 for anyone else."""
    from programs.models import Organization

    organization = get_object_or_404(Organization, slug=organization_slug)
    user = request.user
    if permissions.is_admin(user) or organization.memberships.filter(user=user).exists():
        return organization
    raise Http404


def get_unlocking_organization_for_user(request, organization_slug):
    """An organization whose locked accounts the user may unlock; 404 for anyone else."""
    from programs.models import Organization

    organization = get_object_or_404(Organization, slug=organization_slug)
    if not permissions.can_unlock_accounts(request.user, organization):
        raise Http404
    return organization


def get_locked_account_for_user(request, organization_slug, user_id):
    """(organization, account): an account working in the organization that the
    user may unlock; 404 outside it (another organization's account included)."""
    from programs.selectors import organization_accounts

    organization = get_unlocking_organization_for_user(request, organization_slug)
    account = get_object_or_404(organization_accounts(organization), pk=user_id)
    if not permissions.can_unlock_account(request.user, account):
        raise PermissionDenied
    return organization, account
