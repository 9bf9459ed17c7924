import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    UUIDField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from checklists.enums import DEFAULT_BLOCKER_REASONS, SATISFIED, StepState
from checklists.models import (
    BlockerReason,
    ChecklistStep,
    ChecklistTemplate,
    MentoringContact,
    ProgressEvent,
    StepProgress,
    Track,
)
from pkk_training.ordering import move_in_order
from pkk_training.prepared import PreparedInsert, PreparedUpdate, row_lock

# --- templates -----------------------------------------------------------------


@transaction.atomic
def template_create(*, organization, by, name, description="", position=100):
    """A new template of the organization, with the default blocker reasons."""
    template = ChecklistTemplate(
        organization=organization,
        name=name,
        description=description,
        position=position,
        created_by=by,
    )
    template.full_clean()
    template.save()
    BlockerReason.objects.bulk_create(
        BlockerReason(template=template, code=code, label=str(label), needs_note=note, position=i)
        for i, (code, label, note) in enumerate(DEFAULT_BLOCKER_REASONS, start=1)
    )
    return template


def template_update(*, template, name, description="", position=None):
    template.name = name
    template.description = description
    if position is not None:
        template.position = position
    template.full_clean()
    template.save(update_fields=["name", "description", "position"])
    return template


@transaction.atomic
def template_copy(*, template, organization, by, name=None):
    """Start a new template from the current steps and reasons of another."""
    copy = ChecklistTemplate.objects.create(
        organization=organization,
        name=name or _("Copy of %(name)s") % {"name": template.name},
        description=template.description,
        position=template.position,
        copied_from=template,
        created_by=by,
    )
    ChecklistStep.objects.bulk_create(
        ChecklistStep(
            template=copy, position=i, title=s.title, how_to=s.how_to, required=s.required
        )
        for i, s in enumerate(current_steps(template), start=1)
    )
    BlockerReason.objects.bulk_create(
        BlockerReason(
            template=copy, code=r.code, label=r.label, needs_note=r.needs_note, position=r.position
        )
        for r in template.blocker_reasons.filter(archived=False)
    )
    return copy


def current_steps(template):
    return template.steps.filter(archived_at__isnull=True).order_by("position", "pk")


def _in_use(step):
    return StepProgress.objects.filter(step=step).exists()


@transaction.atomic
def step_add(*, template, title, how_to="", required=True):
    last = current_steps(template).aggregate(last=Max("position"))["last"] or 0
    step = ChecklistStep(
        template=template, position=last + 1, title=title, how_to=how_to, required=required
    )
    step.full_clean()
    step.save()
    template_changed(template=template)
    return step


@transaction.atomic
def step_update(*, step, title, how_to="", required=True):
    """Edit a step; a step someone already worked on is replaced, never rewritten."""
    if not _in_use(step):
        step.title, step.how_to, step.required = title, how_to, required
        step.full_clean()
        step.save()
        template_changed(template=step.template)
        return step
    replacement = ChecklistStep(
        template=step.template,
        position=step.position,
        title=title,
        how_to=how_to,
        required=required,
        replaces=step,
    )
    replacement.full_clean()
    step.archived_at = timezone.now()
    step.save(update_fields=["archived_at"])
    replacement.save()
    template_changed(template=step.template)
    return replacement


@transaction.atomic
def step_remove(*, step):
    """Remove a step from the template; one with progress is archived, keeping history."""
    if _in_use(step):
        step.archived_at = timezone.now()
        step.save(update_fields=["archived_at"])
    else:
        step.delete()
    template_changed(template=step.template)


@transaction.atomic
def step_move(*, step, direction):
    """Swap the step with its neighbour above ("up") or below ("down")."""
    move_in_order(current_steps(step.template), step, direction)
    template_changed(template=step.template)


def reason_add(*, template, label, needs_note=False):
    last = template.blocker_reasons.aggregate(last=Max("position"))["last"] or 0
    code = f"r{last + 1}-{uuid.uuid4().hex[:6]}"
    reason = BlockerReason(
        template=template, code=code, label=label, needs_note=needs_note, position=last + 1
    )
    reason.full_clean()
    with transaction.atomic():
        reason.save()
        template_changed(template=template)
    return reason


def reason_archive(*, reason):
    reason.archived = True
    with transaction.atomic():
        reason.save(update_fields=["archived"])
        template_changed(template=reason.template)


def template_changed(*, template):
    """Call in the same transaction as any write to the template's steps or
    reasons (the admin's too): their cached lists are keyed by `changed_at`."""
    template.changed_at = timezone.now()
    ChecklistTemplate.objects.filter(pk=template.pk).update(changed_at=template.changed_at)


# --- tracks --------------------------------------------------------------------


def _check_template_for(template, program):
    if template.archived:
        raise ValidationError(_("This checklist is archived."), code="archived")
    if template.organization_id not in (None, program.organization_id):
        raise ValidationError(_("This checklist belongs to another organization."))


def track_assign(*, enrollment, template, by):
    """Let the participant follow the template; assigning twice changes nothing."""
    _check_template_for(template, enrollment.program)
    track, _created = Track.objects.get_or_create(
        enrollment=enrollment, template=template, defaults={"assigned_by": by}
    )
    return track


def tracks_assign_bulk(*, program, template, by, participant_ids=None):
    """Assign the template to the program's active participants (or those listed).

    Returns how many new tracks were made; existing ones are left alone.
    """
    _check_template_for(template, program)
    enrollments = program.enrollments.active().exclude(tracks__template=template)
    if participant_ids is not None:
        enrollments = enrollments.filter(participant_id__in=participant_ids)
    with transaction.atomic():
        ids = list(enrollments.values_list("pk", flat=True))
        Track.objects.bulk_create(
            [Track(enrollment_id=pk, template=template, assigned_by=by) for pk in ids],
            ignore_conflicts=True,
        )
    return len(ids)


def track_remove(*, track):
    if track.progress.exists():
        raise ValidationError(
            _("Progress was already recorded on this checklist; it stays for the record."),
            code="has_progress",
        )
    track.delete()


# --- progress ------------------------------------------------------------------

APPLIED, REPEAT, CONFLICT = "applied", "repeat", "conflict"


def progress_mark(
    *, track, step, state, by, reason=None, note="", base_version=None, mark_id=None, at=None
):
    """Set the participant's state at one step.

    `base_version` is the version of the step's progress the facilitator saw
    (0: none yet). A mark made on an older version than the current one is
    not applied: a replayed or delayed request never silently reverts a newer
    state. `mark_id` (made by the phone per tap) recognises a resent request.
    None as base_version (server-side callers) applies on top of whatever is current;
    `at` records when it happened, for progress typed in afterwards. Marks of
    one participant's required steps are applied one at a time (her track is
    locked), so the track is complete exactly when its last one is done.
    Returns (current StepProgress or None, APPLIED | REPEAT | CONFLICT).
    """
    if state not in StepState.values:
        raise ValidationError(_("Unknown step state."), code="bad_state")
    if step.template_id != track.template_id or step.archived_at is not None:
        raise ValidationError(_("This step is not part of the checklist."), code="bad_step")
    note = (note or "").strip()
    if state == StepState.BLOCKED:
        if reason is None or reason.template_id != track.template_id or reason.archived:
            raise ValidationError({"reason": _("Choose why the participant is stuck.")})
        if reason.needs_note and not note:
            raise ValidationError({"note": _("Write a short note for this reason.")})
    else:
        reason = None
    mark_id = mark_id or uuid.uuid4()
    now = at or timezone.now()
    fields = {"state": state, "reason": reason, "note": note, "by": by, "at": now}
    values = {
        "track": track.pk,
        "step": step.pk,
        "state": state,
        "reason": reason.pk if reason else None,
        "note": note,
        "by": by.pk if by else None,
        "at": now,
        "mark_id": mark_id,
    }
    with transaction.atomic():
        if step.required:
            # Her required steps are marked one at a time (the track is locked):
            # two marked at once each judged completion without the other's
            # mark, and the last two left a finished track open.
            _LOCK_TRACK.rows(pk=track.pk)
        if base_version is None:
            base_version = (
                StepProgress.objects.filter(track=track, step=step)
                .values_list("version", flat=True)
                .first()
                or 0
            )
        if base_version == 0:
            # Nothing written when someone else recorded this step first: no
            # savepoint and no error to catch (a savepoint is two round trips).
            applied = bool(_PROGRESS_INSERT.insert(**values))
        else:
            applied = bool(_PROGRESS_UPDATE.update(version=base_version, **values))
        if applied:
            _EVENT_INSERT.insert(**values)
            if step.required:
                _refresh_completion(track, now)
    progress = StepProgress(
        track=track, step=step, version=base_version + 1, last_mark_id=mark_id, **fields
    )
    if applied:
        return progress, APPLIED
    current = (
        StepProgress.objects.select_related("reason", "by").filter(track=track, step=step).first()
    )
    replayed = ProgressEvent.objects.filter(mark_id=mark_id).exists()
    return current, (REPEAT if replayed else CONFLICT)


_LOCK_TRACK = row_lock(Track)


def _refresh_completion(track, now):
    """One UPDATE: complete when no current required step is unsatisfied."""
    _COMPLETION.update(track=track.pk, template=track.template_id, now=now)


def _completion_update(P, kind):
    unsatisfied = ChecklistStep.objects.filter(
        template_id=P("template", IntegerField()), required=True, archived_at__isnull=True
    ).exclude(
        Exists(
            StepProgress.objects.filter(
                track_id=P("track", IntegerField()), step=OuterRef("pk"), state__in=SATISFIED
            )
        )
    )
    completed_at = Case(
        When(~Exists(unsatisfied), then=Coalesce(F("completed_at"), P("now", DateTimeField()))),
        default=Value(None),
    )
    return Track.objects.filter(pk=P("track", IntegerField())), {"completed_at": completed_at}


# Compiled once: compiling the completion update was a third of a step mark's
# server time, and every tap runs these.
_COMPLETION = PreparedUpdate(_completion_update)


def _mark_params(P):
    return {
        "state": P("state", CharField()),
        "reason_id": P("reason", IntegerField()),
        "note": P("note", CharField()),
        "by_id": P("by", IntegerField()),
        "at": P("at", DateTimeField()),
    }


_PROGRESS_INSERT = PreparedInsert(
    lambda P, kind: (
        StepProgress(
            track_id=P("track", IntegerField()),
            step_id=P("step", IntegerField()),
            version=1,
            last_mark_id=P("mark_id", UUIDField()),
            **_mark_params(P),
        ),
        # On SQLite this is INSERT OR IGNORE, which would also pass over a
        # broken CHECK; the arguments were checked above.
        {"ignore_conflicts": True},
    )
)
# Applied only on the version the facilitator saw: a delayed tap never reverts a newer one.
_PROGRESS_UPDATE = PreparedUpdate(
    lambda P, kind: (
        StepProgress.objects.filter(
            track_id=P("track", IntegerField()),
            step_id=P("step", IntegerField()),
            version=P("version", IntegerField()),
        ),
        {"version": F("version") + 1, "last_mark_id": P("mark_id", UUIDField()), **_mark_params(P)},
    )
)
_EVENT_INSERT = PreparedInsert(
    lambda P, kind: (
        ProgressEvent(
            track_id=P("track", IntegerField()),
            step_id=P("step", IntegerField()),
            mark_id=P("mark_id", UUIDField()),
            **_mark_params(P),
        ),
        {},
    )
)


# --- mentoring -----------------------------------------------------------------


@transaction.atomic
def mentoring_add(
    *, enrollment, by, date, channel, action, resolved=False, step=None, mark_done=False
):
    """Log a follow-up contact; resolving a blocker can mark its step done."""
    track = None
    if step is not None:
        track = Track.objects.filter(enrollment=enrollment, template_id=step.template_id).first()
        if track is None:
            raise ValidationError({"step": _("This participant does not follow that checklist.")})
    contact = MentoringContact(
        enrollment=enrollment,
        step=step,
        track=track,
        date=date,
        channel=channel,
        action=action,
        resolved=resolved,
        by=by,
    )
    contact.full_clean()
    contact.save()
    if resolved and mark_done and step is not None:
        progress_mark(track=track, step=step, state=StepState.DONE, by=by)
    return contact
