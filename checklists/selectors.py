import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Q

from checklists.enums import SATISFIED, StepState
from checklists.models import BlockerReason, ChecklistStep, ChecklistTemplate, StepProgress, Track
from participants.enums import EnrollmentStatus
from pkk_training.cached import CachedRead, read_cached
from pkk_training.prepared import PreparedQuery
from programs.permissions import is_admin, organization_ids


def templates_visible_to(user):
    templates = ChecklistTemplate.objects.select_related("organization")
    if not user.is_authenticated:
        return templates.none()
    if is_admin(user):
        return templates
    works_in = organization_ids(user, coordinating=False)
    return templates.filter(Q(organization__isnull=True) | Q(organization_id__in=works_in))


def templates_for_program(program):
    """Templates a program's participants can follow: shared ones and the organization's."""
    return ChecklistTemplate.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=program.organization_id), archived=False
    ).order_by("position", "name", "pk")


def current_steps(template_ids):
    return ChecklistStep.objects.filter(
        template_id__in=template_ids, archived_at__isnull=True
    ).order_by("template_id", "position", "pk")


def template_reasons(template):
    """The template's active blocker reasons, in order (a tuple: shared, not to change).

    Every progress mark answers with its step's reason buttons. Each process
    keeps the lists it read under the template's change stamp, as the shared
    cache does (an edited template has a new stamp, so a kept list is never
    stale): a mark reads it neither from the database nor from the cache.
    """
    return _active_reasons(template.pk, template.changed_at)


@functools.lru_cache(maxsize=256)
def _active_reasons(template_id, changed_at):
    stamped = ChecklistTemplate(pk=template_id, changed_at=changed_at)
    return tuple(template_parts([stamped])[template_id].active_reasons)


@dataclass
class TemplateParts:
    steps: list  # current steps, in order
    reasons: dict  # {id: blocker reason} in order, archived ones too: old progress names them

    @property
    def active_reasons(self):
        return [reason for reason in self.reasons.values() if not reason.archived]


def template_parts_read(templates):
    """The CachedRead of template_parts, for a caller that reads it with other
    cached lists (pkk_training.cached.read_cached)."""

    def querysets(missing):
        return {
            "steps": current_steps(missing),
            "reasons": BlockerReason.objects.filter(template_id__in=missing).order_by(
                "position", "pk"
            ),
        }

    def build(missing, rows):
        steps, reasons = defaultdict(list), defaultdict(dict)
        for step in rows["steps"]:
            steps[step.template_id].append(step)
        for reason in rows["reasons"]:
            reasons[reason.template_id][reason.pk] = reason
        return {pk: TemplateParts(steps[pk], reasons[pk]) for pk in missing}

    return CachedRead(
        keys={t.pk: f"checklist-parts:{t.pk}:{t.changed_at.timestamp()}" for t in templates},
        querysets=querysets,
        build=build,
    )


def template_parts(templates):
    """{template id: TemplateParts}, cached until the template's `changed_at` moves.

    Funnels and reports read the same few steps and reasons on every view;
    cached, they cost no query (one for any number of templates on a miss).
    """
    return read_cached(template_parts_read(templates))[0]


@dataclass
class StepRow:
    step: object
    progress: object  # StepProgress or None (not started)

    @property
    def state(self):
        return self.progress.state if self.progress else StepState.NOT_STARTED

    @property
    def version(self):
        return self.progress.version if self.progress else 0


@dataclass
class TrackView:
    track: object
    rows: list
    reasons: list
    earlier: list = field(default_factory=list)  # progress on archived steps

    @property
    def done(self):
        return sum(1 for r in self.rows if r.state in SATISFIED)

    @property
    def total(self):
        return len(self.rows)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished_rows(self):
        return [r for r in self.rows if r.state in SATISFIED]

    @property
    def open_rows(self):
        return [r for r in self.rows if r.state not in SATISFIED]


def first_open_step(tracks):
    """(track view, step row) of the first step not yet done, prerequisites first; or None."""
    for view in tracks:
        for row in view.rows:
            if row.state not in SATISFIED:
                return view, row
    return None


def participant_checklists(enrollment):
    """The participant's tracks with every current step and its progress; two
    queries, with the templates' steps and reasons cached (template_parts)."""
    # Prerequisites first: templates in their own order (`position`), then by name.
    tracks = list(
        enrollment.tracks.select_related("template").order_by(
            "template__position", "template__name", "pk"
        )
    )
    parts = template_parts({t.template_id: t.template for t in tracks}.values())
    steps = {pk: p.steps for pk, p in parts.items()}
    reasons = {pk: p.active_reasons for pk, p in parts.items()}
    progress = defaultdict(dict)
    for p in StepProgress.objects.filter(track__in=tracks).select_related("reason", "by", "step"):
        progress[p.track_id][p.step_id] = p
    views = []
    for track in tracks:
        mine = progress[track.pk]
        current = {s.pk for s in steps[track.template_id]}
        views.append(
            TrackView(
                track=track,
                rows=[StepRow(s, mine.get(s.pk)) for s in steps[track.template_id]],
                reasons=reasons[track.template_id],
                earlier=[p for step_id, p in mine.items() if step_id not in current],
            )
        )
    return views


@dataclass(slots=True, frozen=True)
class GridCell:
    step: object
    state: str
    reason_id: int | None = None
    reason_label: str = ""
    started: bool = False  # a progress row exists (even one set back to not started)


@dataclass(slots=True)
class GridRow:
    participant_id: object
    full_name: str
    track_id: int
    cells: list  # GridCell per current step; read only, shared by rows at the same stage
    stuck_at: int | None  # position of the first required step not yet satisfied
    blocked_reasons: frozenset
    done: int  # steps done or not applicable


@dataclass
class Grid:
    steps: list
    rows: list  # GridRow per active participant, by name, filtered as asked
    reasons: list  # the template's active blocker reasons (the filter's choices)
    funnel: object  # the template's Funnel over the program, as funnel() counts it


def checklist_grid(program, template, *, stuck_at=None, reason_id=None):
    """Participants × steps for one template in one program, with the template's
    funnel over the program; two queries at any size, with the template's parts
    cached.

    Rows are plain values (no models): at 500 participants building a track,
    an enrolment and a participant per row cost more than the page's budget.
    Its two queries are compiled once (pkk_training.prepared).
    The funnel is counted from the same rows instead of in the database: its
    two queries were a sixth of the page's time.
    """
    parts = template_parts([template])[template.pk]
    steps, reason_of = parts.steps, parts.reasons
    progress = defaultdict(dict)
    for track_id, step_id, state, reason in _GRID_PROGRESS.rows(
        template=template.pk, program=program.pk
    ):
        progress[track_id][step_id] = (state, reason, reason_of[reason].label if reason else "")
    tracks = _GRID_TRACKS.rows(template=template.pk, program=program.pk)
    step_ids = [s.id for s in steps]  # .id: .pk is a slower property
    # Participants at the same stage (the same state at every step) share one
    # read-only row of cells: at 500 × 10 a few dozen stages, not 5,000 cells.
    # Stages share their cells too: a few dozen (step, state, reason) in all.
    stages, known = {}, {}
    not_started, blocked_state = StepState.NOT_STARTED.value, StepState.BLOCKED.value
    satisfied = frozenset(state.value for state in SATISFIED)

    def cell(step, value):
        key = (step.id, value)
        found = known.get(key)
        if found is None:
            found = known[key] = (
                GridCell(step, *value, started=True) if value else GridCell(step, not_started)
            )
        return found

    def stage(progress_at):
        cells = [cell(s, value) for s, value in zip(steps, progress_at, strict=True)]
        first_open = next(
            (c.step.position for c in cells if c.step.required and c.state not in satisfied), None
        )
        blocked = frozenset(c.reason_id for c in cells if c.state == blocked_state)
        done = sum(1 for c in cells if c.state in satisfied)
        # [cells, …, tracks at this stage (every track: the funnel's)]
        stages[progress_at] = [cells, first_open, blocked, done, 0]
        return stages[progress_at]

    rows, completed = [], 0
    for track_id, participant_id, full_name, status, completed_at in tracks:
        mine = progress.get(track_id, {})
        progress_at = tuple(map(mine.get, step_ids))
        at = stages.get(progress_at) or stage(progress_at)
        # The funnel counts every track in the program, a withdrawn participant's too.
        at[4] += 1
        completed += completed_at is not None
        if status == EnrollmentStatus.ACTIVE:
            rows.append(GridRow(participant_id, full_name, track_id, *at[:4]))
    # The funnel's counts, a stage at a time: its current steps' recorded states
    # (progress on a step since removed is not the funnel's either).
    counts, template_id = Counter(), template.id
    for cells, *_figures, n in stages.values():
        for c in cells:
            if c.state != not_started:
                counts[template_id, c.step.id, c.state, c.reason_id] += n
    funnel = build_funnels(
        [template],
        {template.pk: parts},
        [(*key, n) for key, n in counts.items()],
        {template.pk: {"tracks": len(tracks), "completed": completed}},
    )[template.pk]
    if stuck_at is not None:
        rows = [r for r in rows if r.stuck_at == stuck_at]
    if reason_id is not None:
        rows = [r for r in rows if reason_id in r.blocked_reasons]
    return Grid(steps, rows, parts.active_reasons, funnel)


_GRID_PROGRESS = PreparedQuery(
    lambda P, _kind: (
        StepProgress.objects.filter(
            track__template_id=P("template", IntegerField()),
            track__enrollment__program_id=P("program", IntegerField()),
        )
        .order_by()
        .values_list("track_id", "step_id", "state", "reason_id")
    )
)
_GRID_TRACKS = PreparedQuery(
    lambda P, _kind: (
        Track.objects.filter(
            template_id=P("template", IntegerField()),
            enrollment__program_id=P("program", IntegerField()),
        )
        .order_by("enrollment__participant__full_name", "pk")
        .values_list(
            "pk",
            "enrollment__participant_id",
            "enrollment__participant__full_name",
            "enrollment__status",
            "completed_at",
        )
    )
)


@dataclass
class FunnelStep:
    step: object
    reached: int = 0
    done: int = 0
    blocked: int = 0
    not_applicable: int = 0
    blocked_by_reason: list = field(default_factory=list)  # [(reason, count)], most first


@dataclass
class Funnel:
    template: object
    tracks: int
    completed: int
    steps: list


def funnel(template, programs):
    """Per current step of the template, over the tracks in `programs` (a queryset).

    Reached: the participant has any recorded state at the step; done,
    blocked and not applicable are counted separately, blocked broken down by
    reason. Counted in the database: three queries whatever the size, two once the
    template's steps and reasons are cached (template_parts).
    """
    tracks = Track.objects.filter(template=template, enrollment__program__in=programs)
    totals = tracks.aggregate(
        tracks=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False))
    )
    return funnels([template], programs, totals={template.pk: totals})[template.pk]


def funnels(templates, programs, *, totals, parts=None):
    """{template id: funnel} of many templates at once: one query whatever their
    number, two when their steps are not cached. `totals`: {template id:
    {"tracks": n, "completed": n}}; `parts`: their template_parts, when the
    caller has them."""
    if parts is None:
        parts = template_parts(templates)
    steps = [s for t in templates for s in parts[t.pk].steps]
    counts = (
        StepProgress.objects.filter(
            track__template__in=templates, track__enrollment__program__in=programs, step__in=steps
        )
        .exclude(state=StepState.NOT_STARTED)
        .values_list("track__template_id", "step_id", "state", "reason_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return build_funnels(templates, parts, counts, totals)


def build_funnels(templates, parts, counts, totals):
    """{template id: Funnel} from counts [(template id, step id, state, reason id, n)]
    and the templates' parts (template_parts)."""
    steps = [s for t in templates for s in parts[t.pk].steps]
    reasons = {pk: r for t in templates for pk, r in parts[t.pk].reasons.items()}
    by_step = {s.pk: FunnelStep(step=s) for s in steps}
    blocked = defaultdict(Counter)
    for template_id, step_id, state, reason_id, n in counts:
        entry = by_step.get(step_id)
        if entry is None or entry.step.template_id != template_id:
            continue  # a step of another template, or no longer current
        entry.reached += n
        if state == StepState.DONE:
            entry.done += n
        elif state == StepState.NOT_APPLICABLE:
            entry.not_applicable += n
        elif state == StepState.BLOCKED:
            entry.blocked += n
            blocked[step_id][reason_id] += n
    for step_id, counter in blocked.items():
        known = [
            (reasons[reason_id], n) for reason_id, n in counter.items() if reason_id in reasons
        ]
        by_step[step_id].blocked_by_reason = sorted(known, key=lambda rn: (-rn[1], rn[0].position))
    return {
        t.pk: Funnel(
            template=t,
            tracks=totals[t.pk]["tracks"],
            completed=totals[t.pk]["completed"],
            steps=[by_step[s.pk] for s in steps if s.template_id == t.pk],
        )
        for t in templates
    }


def program_template_summaries(program):
    """Templates that the program's participants follow, with track and completion counts."""
    return (
        ChecklistTemplate.objects.filter(tracks__enrollment__program=program)
        .annotate(
            n_tracks=Count("tracks", filter=Q(tracks__enrollment__program=program)),
            n_completed=Count(
                "tracks",
                filter=Q(tracks__enrollment__program=program, tracks__completed_at__isnull=False),
            ),
        )
        .order_by("name", "pk")
    )
