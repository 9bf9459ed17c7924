"""One helper per object kind: fetch it and check access in one step.

An outsider gets 404 for everything in a program (a 403 would confirm that
the program exists); a member without the needed role gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from checklists.models import BlockerReason, ChecklistStep, ChecklistTemplate, Track
from checklists.selectors import templates_visible_to
from participants.models import Enrollment, Participant
from pkk_training import permissions
from sessions.models import Membership
from sessions.selectors import programs_visible_to, role_expression, sessions_visible_to
from surveys.models import Survey


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


def get_template_for_user(request, template_id, *, manage=False):
    template = get_object_or_404(templates_visible_to(request.user), pk=template_id)
    if manage and not permissions.can_manage_template(request.user, template):
        raise PermissionDenied
    return template


def get_program_template_for_user(request, program_slug, template_id):
    """A template that the program's participants can follow (archived ones included)."""
    program = get_program_for_user(request, program_slug)
    template = get_object_or_404(
        ChecklistTemplate.objects.filter(
            Q(organization__isnull=True) | Q(organization_id=program.organization_id)
        ),
        pk=template_id,
    )
    return program, template


def get_track_for_user(request, program_slug, participant_id, track_id):
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    track = get_object_or_404(enrollment.tracks.select_related("template"), pk=track_id)
    track.enrollment = enrollment
    return track


def get_track_step_for_user(request, program_slug, participant_id, track_id, step_id, reason_id):
    """Track, step and (for a blocked mark) reason of one progress mark, in one query.

    Facilitators tap through steps on a weak signal, so a mark's lookups are
    folded into a single round trip. A step or reason of another template, or
    a track of another program, is a 404.
    """
    step = ChecklistStep.objects.filter(
        pk=step_id, template_id=OuterRef("template_id"), archived_at__isnull=True
    )
    reason = BlockerReason.objects.filter(
        pk=reason_id, template_id=OuterRef("template_id"), archived=False
    )
    step_fields = {f"step_{name}": Subquery(step.values(name)) for name in STEP_FIELDS}
    reason_fields = {f"reason_{name}": Subquery(reason.values(name)) for name in REASON_FIELDS}
    tracks = (
        Track.objects.filter(
            pk=track_id,
            enrollment__participant_id=participant_id,
            enrollment__program__slug=program_slug,
        )
        .select_related("enrollment__participant", "enrollment__program__organization", "template")
        .annotate(
            user_role=role_expression(request.user, "enrollment__program__"),
            **step_fields,
            **(reason_fields if reason_id is not None else {}),
        )
        .filter(user_role__isnull=False)
    )
    track = get_object_or_404(tracks)
    if track.step_title is None:
        raise Http404
    program = track.enrollment.program
    permissions.remember_program_role(request.user, program, track.user_role)
    step = ChecklistStep(
        pk=step_id,
        template_id=track.template_id,
        **{name: getattr(track, f"step_{name}") for name in STEP_FIELDS},
    )
    if reason_id is None:
        return track, step, None
    if track.reason_label is None:
        raise Http404
    reason = BlockerReason(
        pk=reason_id,
        template_id=track.template_id,
        **{name: getattr(track, f"reason_{name}") for name in REASON_FIELDS},
    )
    return track, step, reason


STEP_FIELDS = ("title", "how_to", "position", "required")
REASON_FIELDS = ("label", "needs_note", "position")


def get_survey_for_user(request, program_slug, survey_id, *, manage=False):
    program = get_program_for_user(request, program_slug, manage=manage)
    survey = get_object_or_404(program.surveys.select_related("baseline"), pk=survey_id)
    survey.program = program
    return survey


def get_public_survey(token):
    """A survey by its public link: no account, so the token is the only key."""
    return get_object_or_404(Survey.objects.select_related("program"), public_token=token)


def get_indicator_for_user(request, program_slug, indicator_id):
    program = get_program_for_user(request, program_slug, manage=True)
    indicator = get_object_or_404(program.indicators, pk=indicator_id)
    indicator.program = program
    return indicator


def get_organization_for_user(request, organization_slug):
    """An organization and those of its programs the user may see; 404 if none."""
    programs = programs_visible_to(request.user).filter(organization__slug=organization_slug)
    first = programs.first()
    if first is None:
        raise Http404
    return first.organization, programs
