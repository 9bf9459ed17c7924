"""Fetch a participant through the program and check access."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from participants.models import Enrollment, Participant
from programs import permissions
from programs.access import get_program_for_user


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


def get_privacy_enrollment_for_user(request, program_slug, participant_id):
    """A participant's enrolment, for her data-subject rights (Data saya, erasure):
    coordinators of her program or organization and admins; a facilitator gets
    403 (she records, she does not hand out or erase whole files)."""
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    if not permissions.can_manage_program(request.user, enrollment.program):
        raise PermissionDenied
    return enrollment
