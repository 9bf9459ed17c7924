"""Fetch a training session (or an enrollment named in a mark) and check access."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from participants.models import Enrollment
from programs import permissions
from sessions.selectors import sessions_visible_to


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
