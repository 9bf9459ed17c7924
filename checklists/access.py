"""Fetch checklist templates, tracks and steps and check access."""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.shortcuts import get_object_or_404

from checklists.models import BlockerReason, ChecklistStep, ChecklistTemplate, Track
from checklists.permissions import can_manage_template
from checklists.selectors import templates_visible_to
from participants.access import get_enrollment_for_user
from programs import permissions
from programs.access import get_program_for_user
from programs.permissions import role_expression


def get_template_for_user(request, template_id, *, manage=False):
    template = get_object_or_404(templates_visible_to(request.user), pk=template_id)
    if manage and not can_manage_template(request.user, template):
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
    # Joins, not a subquery per field: the same single query, compiled in a
    # quarter of the time (the compiling was most of a mark's server time).
    joined = {"template__steps__pk": step_id, "template__steps__archived_at__isnull": True}
    fields = {f"step_{name}": F(f"template__steps__{name}") for name in STEP_FIELDS}
    if reason_id is not None:
        joined |= {
            "template__blocker_reasons__pk": reason_id,
            "template__blocker_reasons__archived": False,
        }
        fields |= {
            f"reason_{name}": F(f"template__blocker_reasons__{name}") for name in REASON_FIELDS
        }
    tracks = (
        Track.objects.filter(
            pk=track_id,
            enrollment__participant_id=participant_id,
            enrollment__program__slug=program_slug,
            **joined,
        )
        .select_related("enrollment__participant", "enrollment__program__organization", "template")
        .annotate(user_role=role_expression(request.user, "enrollment__program__"), **fields)
        .filter(user_role__isnull=False)
    )
    track = get_object_or_404(tracks)  # a step or reason not of this template: no row
    program = track.enrollment.program
    permissions.remember_program_role(request.user, program, track.user_role)
    step = ChecklistStep(
        pk=step_id,
        template_id=track.template_id,
        **{name: getattr(track, f"step_{name}") for name in STEP_FIELDS},
    )
    if reason_id is None:
        return track, step, None
    reason = BlockerReason(
        pk=reason_id,
        template_id=track.template_id,
        **{name: getattr(track, f"reason_{name}") for name in REASON_FIELDS},
    )
    return track, step, reason


STEP_FIELDS = ("title", "how_to", "position", "required")
REASON_FIELDS = ("label", "needs_note", "position")
