"""One helper per object kind: fetch it and check access in one step.

An outsider gets 404 for everything in a program (a 403 would confirm that
the program exists); a member without the needed role gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from participants.models import Enrollment, Participant
from pkk_training import permissions
from sessions.models import Membership
from sessions.selectors import programs_visible_to, sessions_visible_to


def get_program_for_user(request, program_slug, *, manage=False):
    program = get_object_or_404(programs_visible_to(request.user), slug=program_slug)
    permissions.remember_program_role(request.user, program, program.user_role)
    if manage and not permissions.can_manage_program(request.user, program):
        raise PermissionDenied
    return program


def get_session_for_user(request, program_slug, session_id, *, manage=False):
    # One query for session, program and role: the roll call's marks are
    # many small requests on a weak signal, so each one must stay cheap.
    session = get_object_or_404(
        sessions_visible_to(request.user), program__slug=program_slug, pk=session_id
    )
    permissions.remember_program_role(request.user, session.program, session.user_role)
    if manage and not permissions.can_manage_program(request.user, session.program):
        raise PermissionDenied
    return session


def get_session_enrollment_for_user(request, session, participant_id):
    """The enrollment, in the session's program, of a participant named in a POST."""
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("participant"),
        program_id=session.program_id,
        participant_id=participant_id,
    )
    enrollment.program = session.program
    return enrollment


def get_enrollment_for_user(request, program_slug, participant_id):
    """A participant is reached through their enrollment in the program."""
    program = get_program_for_user(request, program_slug)
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("participant", "participant__consent_recorded_by"),
        program=program,
        participant_id=participant_id,
    )
    enrollment.program = program
    return enrollment


def get_membership_for_user(request, program_slug, membership_id):
    program = get_program_for_user(request, program_slug, manage=True)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), program=program, pk=membership_id
    )
    membership.program = program
    return membership


def get_organization_participant_for_user(request, program_slug, participant_id):
    """A participant of the program's organization, not yet necessarily enrolled in it.

    Used to enroll someone the organization already knows; needs a recording role.
    """
    program = get_program_for_user(request, program_slug)
    if not permissions.can_record(request.user, program):
        raise PermissionDenied
    participant = get_object_or_404(
        Participant, organization_id=program.organization_id, pk=participant_id
    )
    return program, participant
