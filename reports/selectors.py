"""The program report and its parts, counted in the database."""

import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    Min,
    OuterRef,
    PositiveIntegerField,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from checklists.enums import SATISFIED
from checklists.models import ChecklistTemplate, MentoringContact, StepProgress, Track
from checklists.selectors import funnels, template_parts, template_parts_read
from participants.models import Enrollment
from pkk_training.cached import CachedRead, read_cached
from programs.models import Program
from reports.as_of import funnels_as_of, sessions_as_of
from reports.indicators import cutoff, evaluate_many
from reports.indicators.history import History
from reports.models import ReportVersion
from sessions.enums import SessionPhase
from sessions.models import TrainingSession
from sessions.selectors import (
    participant_attendance,
    session_attendance_summary,
    sessions_by_phase,
)
from surveys.selectors import surveys_report, with_counted_responses


def program_indicators(program, *, as_of=None, history=None):
    """`history`: the program's History up to the end of `as_of`, when the caller has it."""
    indicators = program.indicators.select_related(
        "step", "population_session", "population_survey"
    )
    if as_of is not None and history is None:
        history = History(program, cutoff(as_of))
    # Their links come with the facts (evaluate_many), not in a query of their own.
    return evaluate_many(indicators, program, as_of=as_of, history=history)


@dataclass
class TwinPair:
    """Two indicators that measure the same thing from different sources."""

    first: object  # IndicatorResult
    second: object

    @property
    def results(self):
        return [self.first, self.second]

    @property
    def note(self):
        a, b = self.first, self.second
        if a.empty or b.empty:
            return _("One of the two has no data yet, so they cannot be compared.")
        if (a.numerator, a.denominator) == (b.numerator, b.denominator):
            return _("Both sources agree: %(pct)s%% (%(n)s of %(total)s).") % {
                "pct": round(a.percent),
                "n": a.numerator,
                "total": a.denominator,
            }
        text = _(
            "The two sources differ by %(points)s percentage points: %(a_source)s gives "
            "%(a_pct)s%% (%(a_n)s of %(a_total)s), %(b_source)s %(b_pct)s%% (%(b_n)s of "
            "%(b_total)s)."
        ) % {
            "points": round(abs(a.percent - b.percent)),
            "a_source": a.indicator.get_source_display().lower(),
            "a_pct": round(a.percent),
            "a_n": a.numerator,
            "a_total": a.denominator,
            "b_source": b.indicator.get_source_display().lower(),
            "b_pct": round(b.percent),
            "b_n": b.numerator,
            "b_total": b.denominator,
        }
        if a.denominator != b.denominator:
            text += " " + _("They count different people: %(a)s; %(b)s.") % {
                "a": a.base,
                "b": b.base,
            }
        else:
            text += " " + _(
                "The same people are counted: the difference is in what was recorded, e.g. a "
                "step finished after the survey was answered."
            )
        return text


def indicator_twins(results):
    """Pairs of results whose indicators are marked as measuring the same thing.

    Marked by hand in the indicator's settings: two sources that merely share
    words need not count the same thing, so nothing is paired by guess.
    """
    by_pk = {r.indicator.pk: r for r in results}
    pairs, seen = [], set()
    for result in results:
        partner = by_pk.get(result.indicator.twin_id)
        if partner is None or partner is result:
            continue
        key = frozenset((result.indicator.pk, partner.indicator.pk))
        if key not in seen:
            seen.add(key)
            # Table 1's order: the one printed first comes first.
            first, second = sorted((result, partner), key=results.index)
            pairs.append(TwinPair(first=first, second=second))
    return pairs


@dataclass
class TrackReport:
    funnel: object
    days_to_complete: list  # whole days from the training to each completion

    @property
    def bars(self):
        return funnel_bars(self.funnel)

    @property
    def chart_height(self):
        return len(self.funnel.steps) * ROW + 4

    @property
    def median_days(self):
        return statistics.median(self.days_to_complete) if self.days_to_complete else None


def _followed_templates(program, before, started):
    """(templates the program's participants follow, {id: {"tracks": n,
    "completed": n}}, {id: [days from `started` to each completion]}), counted
    up to `before`: one query, the tracks grouped by template and day completed."""
    rows = (
        ChecklistTemplate.objects.filter(tracks__enrollment__program=program)
        .annotate(completed_on=TruncDate("tracks__completed_at"))
        .annotate(n=Count("tracks"))
        .order_by("name", "pk")
    )
    # `before` is a local midnight: completed before it is completed on a day before.
    last_day = None if before is None else timezone.localtime(before).date()
    templates, totals, days = {}, {}, defaultdict(list)
    for row in rows:
        templates.setdefault(row.pk, row)
        total = totals.setdefault(row.pk, {"tracks": 0, "completed": 0})
        total["tracks"] += row.n
        if row.completed_on is None or (last_day is not None and row.completed_on >= last_day):
            continue
        total["completed"] += row.n
        if started:
            days[row.pk] += [(row.completed_on - started).days] * row.n
    return list(templates.values()), totals, days


def checklist_reports(program, followed, parts, *, before=None, history=None):
    """A funnel per template the program's participants follow. `followed`:
    _followed_templates; `parts`: their template_parts. One query whatever the
    number of templates (none without templates)."""
    templates, totals, days = followed
    if not templates:
        return []
    results = (
        funnels(templates, [program], totals=totals, parts=parts)
        if before is None
        else funnels_as_of(
            templates, history or History(program, before), totals=totals, parts=parts
        )
    )
    return [
        TrackReport(funnel=results[t.pk], days_to_complete=sorted(days[t.pk])) for t in templates
    ]


def _count(queryset, group):
    return Coalesce(
        Subquery(queryset.order_by().values(group).annotate(n=Count("pk")).values("n")), 0
    )


def with_report_figures(programs, *, as_of=None):
    """Programs with their report settings and the report's single numbers (as
    of the end of `as_of`), read with them: `n_enrolled`, `training_date` (the
    first training session's day, if any) and the mentoring contacts, people
    followed up and problems resolved."""
    enrolled = Enrollment.objects.active().filter(program=OuterRef("pk"))
    contacts = MentoringContact.objects.filter(enrollment__program=OuterRef("pk"))
    if as_of is not None:
        enrolled = enrolled.filter(enrolled_on__lte=as_of)
        contacts = contacts.filter(date__lte=as_of)
    training = TrainingSession.objects.filter(program=OuterRef("pk"), phase=SessionPhase.TRAINING)
    people = contacts.order_by().values("enrollment__program")
    return programs.select_related("report_settings").annotate(
        n_enrolled=_count(enrolled, "program"),
        training_date=Subquery(
            training.order_by().values("program").annotate(d=Min("date")).values("d")
        ),
        mentoring_contacts=_count(contacts, "enrollment__program"),
        mentoring_people=Coalesce(
            Subquery(people.annotate(n=Count("enrollment", distinct=True)).values("n")), 0
        ),
        mentoring_resolved=_count(contacts.filter(resolved=True), "enrollment__program"),
    )


@dataclass
class AnnexTrack:
    template: object
    satisfied: int  # current required steps done or not applicable
    total: int  # current required steps
    completed_at: object


def participant_annex(program, templates, parts=None):
    """Per participant: sessions attended, and each checklist's steps satisfied / total.

    `templates`: those the program's participants follow (the report's
    checklists); `parts`: their template_parts, when the caller has them. One
    query: each template's track is read beside the participant, so the SQL
    grows with the templates, not the queries.
    """
    if parts is None:
        parts = template_parts(templates)
    enrollments = participant_attendance(program)
    for t in templates:
        track = Track.objects.filter(enrollment=OuterRef("pk"), template=t)
        satisfied = StepProgress.objects.filter(
            track__enrollment=OuterRef("pk"),
            track__template=t,
            state__in=SATISFIED,
            step__archived_at__isnull=True,
            step__required=True,
        )
        enrollments = enrollments.annotate(
            **{
                f"track_{t.pk}": Exists(track),
                f"track_{t.pk}_completed_at": Subquery(track.values("completed_at")[:1]),
                f"track_{t.pk}_satisfied": _count(satisfied, "track"),
            }
        )
    enrollments = list(enrollments)
    for enrollment in enrollments:
        enrollment.report_tracks = [
            AnnexTrack(
                template=t,
                satisfied=getattr(enrollment, f"track_{t.pk}_satisfied"),
                total=sum(1 for step in parts[t.pk].steps if step.required),
                completed_at=getattr(enrollment, f"track_{t.pk}_completed_at"),
            )
            for t in templates
            if getattr(enrollment, f"track_{t.pk}")
        ]
    return enrollments


@dataclass
class ReportParts:
    photos: list
    signatories: list


def report_parts_read(program):
    """The report's photos and signatories (a CachedRead for read_cached), cached
    until `report_changed_at` moves: they are set once before the report is
    handed in, and read on every view."""
    return CachedRead(
        keys={program.pk: f"report-parts:{program.pk}:{program.report_changed_at.timestamp()}"},
        querysets=lambda _missing: {
            "photos": program.report_photos.all(),
            "signatories": program.report_signatories.all(),
        },
        build=lambda _missing, rows: {program.pk: ReportParts(rows["photos"], rows["signatories"])},
    )


def facilitators_and_versions(program):
    """(the sessions' facilitators by name, the issued versions newest first, each
    with its issuer): both are rows of users, read in one UNION ALL query."""
    User = get_user_model()
    # Typed: PostgreSQL reads an untyped NULL under DISTINCT as text.
    empty = {
        "number": Cast(Value(None), PositiveIntegerField()),
        "as_of": Cast(Value(None), DateField()),
        "sha256": Cast(Value(None), CharField()),
        "issued_at": Cast(Value(None), DateTimeField()),
    }
    columns = ["row_set", "user_id", "first_name", "last_name", "username", *empty]
    facilitators = (
        User.objects.filter(facilitated_sessions__program=program)
        .annotate(row_set=Value("facilitator"), user_id=F("pk"), **empty)
        .order_by()
        .values_list(*columns)
        .distinct()
    )
    versions = (
        ReportVersion.objects.filter(program=program)
        .annotate(
            row_set=Value("version"),
            user_id=F("issued_by_id"),
            first_name=F("issued_by__first_name"),
            last_name=F("issued_by__last_name"),
            username=F("issued_by__username"),
        )
        .order_by()
        .values_list(*columns)
    )
    people, issued = [], []
    for (
        row_set,
        user_id,
        first,
        last,
        username,
        number,
        as_of,
        sha256,
        issued_at,
    ) in facilitators.union(versions, all=True).order_by(
        "row_set", "-number", "first_name", "username"
    ):
        user = (
            User(pk=user_id, first_name=first, last_name=last, username=username)
            if user_id is not None
            else None
        )
        if row_set == "facilitator":
            people.append(user)
        else:
            issued.append(
                ReportVersion(
                    program=program,
                    number=number,
                    as_of=as_of,
                    sha256=sha256,
                    issued_at=issued_at,
                    issued_by=user,
                )
            )
    return people, issued


def program_report(program, *, annex=False, as_of=None, figures=None):
    """Everything the evaluation report shows, as plain data for one template.

    Every section counts only what was recorded up to the end of `as_of` (a
    date; None: everything recorded until now), and the report says which
    day: Table 1, the method's sessions and attendance, the checklists, the
    surveys and the mentoring. The participant annex shows the current state.
    The number of queries does not grow with the participants, surveys,
    checklists or indicators. `figures`: the program as read by
    with_report_figures for the same `as_of`, when the caller has it already.
    """
    before = cutoff(as_of)
    if figures is None:
        figures = with_report_figures(Program.objects, as_of=as_of).get(pk=program.pk)
    settings = getattr(figures, "report_settings", None)
    # Every section reads the same history (each kind of event once).
    history = None if as_of is None else History(program, before)
    if as_of is None:
        sessions = session_attendance_summary(program)
    else:
        sessions = sessions_as_of(program, as_of, history)
    surveys = list(
        with_counted_responses(program.surveys.all(), before=before).order_by("created_at", "pk")
    )
    survey_reports = surveys_report(surveys, before=before)
    followed = _followed_templates(program, before, figures.training_date)
    # The checklists' steps and reasons and the photos and signatories: cached,
    # and on a miss (after an edit, or in a new process) read in one query.
    checklist_parts, report_lists = read_cached(
        template_parts_read(followed[0]), report_parts_read(program)
    )
    parts = report_lists[program.pk]
    photos = parts.photos
    indicators = program_indicators(program, as_of=as_of, history=history)
    checklists = checklist_reports(
        program, followed, checklist_parts, before=before, history=history
    )
    facilitators, versions = facilitators_and_versions(program)
    return {
        "program": program,
        "facilitators": facilitators,
        "versions": versions,
        "enrolled": figures.n_enrolled,
        "sessions": sessions,
        "method": sessions_by_phase(sessions),
        "settings": settings,
        "photos": photos,
        # The uploaded files the PDF may embed (see pkk_training.pdf).
        "pdf_media": [
            f.name for f in [settings and settings.logo, *(p.image for p in photos)] if f
        ],
        "signatories": parts.signatories,
        "sessions_held": sum(1 for s in sessions if s.date <= (as_of or timezone.localdate())),
        "indicators": indicators,
        "twins": indicator_twins(indicators),
        "as_of": as_of,
        "checklists": checklists,
        "surveys": [(s, *survey_reports[s.pk]) for s in surveys],
        "mentoring": {
            "contacts": figures.mentoring_contacts,
            "people": figures.mentoring_people,
            "resolved": figures.mentoring_resolved,
        },
        "annex": participant_annex(
            program, [c.funnel.template for c in checklists], checklist_parts
        )
        if annex
        else None,
        "generated_at": timezone.localtime(),
    }


@dataclass
class Bar:
    y: int
    label: str
    done: float  # width of the done part
    blocked_x: float
    blocked: float
    figures: str


BAR_LEFT, BAR_WIDTH, ROW = 150, 160, 12


def funnel_bars(result):
    """Geometry of the funnel chart (SVG drawn by the template): done then blocked."""
    total = result.tracks or 1
    bars = []
    for i, step in enumerate(result.steps):
        done = BAR_WIDTH * step.done / total
        blocked = BAR_WIDTH * step.blocked / total
        bars.append(
            Bar(
                y=i * ROW,
                label=f"{step.step.position}. {step.step.title}",
                done=round(done, 1),
                blocked_x=round(BAR_LEFT + done, 1),
                blocked=round(blocked, 1),
                figures=f"{step.done}/{step.blocked}",
            )
        )
    return bars
