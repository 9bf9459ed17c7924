"""Fetch checklist templates, tracks and steps and check access."""

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, IntegerField, Q, UUIDField
from django.http import Http404
from django.shortcuts import get_object_or_404

from checklists.models import BlockerReason, ChecklistStep, ChecklistTemplate, Track
from checklists.permissions import can_manage_template
from checklists.selectors import templates_visible_to
from participants.access import get_enrollment_for_user
from participants.models import Enrollment, Participant
from pkk_training.prepared import PreparedQuery, RowModels
from programs import permissions
from programs.access import get_program_for_user
from programs.models import Program
from programs.permissions import prepared_role_expression


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


def get_grid_link_for_user(request, program_slug, template_id, track_id, step_id):
    """(program, participant id) behind one of the grid's chips: a track of
    another program or template, or a step of another template, is a 404."""
    program, template = get_program_template_for_user(request, program_slug, template_id)
    participant_id = get_object_or_404(
        Track.objects.filter(template=template, enrollment__program=program).values_list(
            "enrollment__participant_id", flat=True
        ),
        pk=track_id,
    )
    if not template.steps.filter(pk=step_id).exists():
        raise Http404
    return program, participant_id


def get_track_for_user(request, program_slug, participant_id, track_id):
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    track = get_object_or_404(enrollment.tracks.select_related("template"), pk=track_id)
    track.enrollment = enrollment
    return track


def get_track_step_for_user(request, program_slug, participant_id, track_id, step_id, reason_id):
    """Track, step and (for a blocked mark) reason of one progress mark, in one query.

    Facilitators tap through steps on a weak signal, so a mark's lookups are
    folded into a single round trip, compiled once (pkk_training.prepared:
    compiling it was most of a mark's server time). A step or reason of
    another template, or a track of another program, is a 404.
    """
    user = request.user
    if not (user.is_authenticated and user.is_active):
        raise Http404
    rows = _TRACK_STEP.rows(
        kind=(permissions.is_admin(user), reason_id is not None),
        user=user.pk,
        track=track_id,
        participant=participant_id,
        program=program_slug,
        step=step_id,
        reason=reason_id,
    )
    if not rows:
        raise Http404  # not hers to see, or a step or reason not of this template
    (track, enrollment, participant, program, template, step), rest = _TRACK_STEP_MODELS.read(
        rows[0]
    )
    enrollment.program, enrollment.participant = program, participant
    track.enrollment, track.template = enrollment, template
    permissions.remember_program_role(user, program, rest[0])
    if reason_id is None:
        return track, step, None
    (reason,), _ = _REASON_MODELS.read(rest[1:])
    return track, step, reason


_TRACK_STEP_MODELS = RowModels(
    (
        Track,
        "",
        ("id", "enrollment_id", "template_id", "assigned_at", "assigned_by_id", "completed_at"),
    ),
    (Enrollment, "enrollment__", ("id", "program_id", "participant_id", "status", "enrolled_on")),
    (Participant, "enrollment__participant__", ("id", "organization_id", "full_name")),
    (Program, "enrollment__program__", ("id", "organization_id", "slug", "name")),
    (ChecklistTemplate, "template__", ("id", "organization_id", "name", "changed_at")),
    (
        ChecklistStep,
        "template__steps__",
        ("id", "template_id", "title", "how_to", "position", "required", "archived_at"),
    ),
)
_REASON_MODELS = RowModels(
    (
        BlockerReason,
        "template__blocker_reasons__",
        ("id", "template_id", "label", "needs_note", "position", "archived"),
    )
)


def _track_step_query(P, kind):
    admin, with_reason = kind
    joined = {
        "template__steps__pk": P("step", IntegerField()),
        "template__steps__archived_at__isnull": True,
    }
    columns = [*_TRACK_STEP_MODELS.columns, "user_role"]
    if with_reason:
        joined |= {
            "template__blocker_reasons__pk": P("reason", IntegerField()),
            "template__blocker_reasons__archived": False,
        }
        columns += _REASON_MODELS.columns
    role = prepared_role_expression(P, admin, "enrollment__program__")
    return (
        Track.objects.filter(
            pk=P("track", IntegerField()),
            enrollment__participant_id=P("participant", UUIDField()),
            enrollment__program__slug=P("program", CharField()),
            **joined,
        )
        .annotate(user_role=role)
        .filter(user_role__isnull=False)
        .order_by()
        .values_list(*columns)[:1]
    )


_TRACK_STEP = PreparedQuery(_track_step_query)
