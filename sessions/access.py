"""Fetch a training session (or an enrollment named in a mark) and check access."""

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, IntegerField, UUIDField
from django.http import Http404

from participants.models import Enrollment, Participant
from pkk_training.prepared import PreparedQuery, RowModels
from programs import permissions
from programs.models import Organization, Program
from programs.permissions import prepared_role_expression
from sessions.models import TrainingSession


def get_session_for_user(request, program_slug, session_id, *, manage=False):
    session = _visible_session(request.user, program_slug, session_id)
    permissions.remember_program_role(request.user, session.program, session.user_role)
    if manage and not permissions.can_manage_program(request.user, session.program):
        raise PermissionDenied
    return session


def _visible_session(user, program_slug, session_id):
    """sessions_visible_to(user).get(program__slug=…, pk=…), or 404: session,
    program and role in one query, compiled once (pkk_training.prepared). The
    roll is opened again and again in a village hall; building this query cost
    more than the database took to answer it."""
    if not (user.is_authenticated and user.is_active):
        raise Http404
    rows = _SESSION.rows(
        kind=permissions.is_admin(user), user=user.pk, session=session_id, program=program_slug
    )
    if not rows:
        raise Http404
    (session, program, organization), (role,) = _SESSION_MODELS.read(rows[0])
    program.organization, session.program, session.user_role = organization, program, role
    return session


_SESSION_MODELS = RowModels(
    (TrainingSession, "", None),
    (Program, "program__", None),
    (Organization, "program__organization__", None),
)


def _session_query(P, admin):
    return (
        TrainingSession.objects.filter(
            pk=P("session", IntegerField()), program__slug=P("program", CharField())
        )
        .annotate(user_role=prepared_role_expression(P, admin, "program__"))
        .filter(user_role__isnull=False)
        .order_by()
        .values_list(*_SESSION_MODELS.columns, "user_role")[:1]
    )


_SESSION = PreparedQuery(_session_query)


def get_marking_session_for_user(request, program_slug, session_id, participant_id):
    """(session, enrollment) of one attendance mark, for someone who may record; one query.

    The roll's taps come by the hundred, so the session, the participant's
    enrolment in its program and the user's role are read in one round trip,
    compiled once (pkk_training.prepared). A session or a participant of
    another program is a 404.
    """
    user = request.user
    if not (user.is_authenticated and user.is_active):
        raise Http404
    rows = _MARKING.rows(
        kind=permissions.is_admin(user),
        user=user.pk,
        session=session_id,
        program=program_slug,
        participant=participant_id,
    )
    if not rows:
        raise Http404
    (session, program, enrollment, participant), (role,) = _MARKING_MODELS.read(rows[0])
    session.program = enrollment.program = program
    enrollment.participant = participant
    permissions.remember_program_role(user, program, role)
    if not permissions.can_record(user, program):
        raise PermissionDenied
    return session, enrollment


_MARKING_MODELS = RowModels(
    (TrainingSession, "", ("id", "program_id", "title", "date")),
    (Program, "program__", ("id", "organization_id", "name", "slug")),
    (
        Enrollment,
        "program__enrollments__",
        None,  # every field: a late joiner's is saved
    ),
    (
        Participant,
        "program__enrollments__participant__",
        ("id", "organization_id", "full_name", "phone"),
    ),
)


def _marking_query(P, admin):
    role = prepared_role_expression(P, admin, "program__")
    return (
        TrainingSession.objects.filter(
            pk=P("session", IntegerField()),
            program__slug=P("program", CharField()),
            program__enrollments__participant_id=P("participant", UUIDField()),
        )
        .annotate(user_role=role)
        .filter(user_role__isnull=False)
        .order_by()
        .values_list(*_MARKING_MODELS.columns, "user_role")[:1]
    )


_MARKING = PreparedQuery(_marking_query)
