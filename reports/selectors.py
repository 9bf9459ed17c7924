"""The program report and its parts, counted in the database."""

import statistics
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from checklists.enums import SATISFIED
from checklists.models import ChecklistStep, MentoringContact, Track
from checklists.selectors import funnel, program_template_summaries
from participants.models import Enrollment
from reports.as_of import (
    enrolled_as_of,
    funnel_as_of,
    mentoring_contacts_as_of,
    sessions_as_of,
)
from reports.indicators import cutoff, evaluate_many
from reports.models import ReportSettings
from sessions.enums import SessionPhase
from sessions.selectors import (
    participant_attendance,
    session_attendance_summary,
    sessions_by_phase,
)
from surveys.selectors import pre_post, survey_results


def program_indicators(program, *, as_of=None):
    indicators = program.indicators.select_related(
        "step", "population_session", "population_survey"
    ).prefetch_related("templates", "success_choices")
    return evaluate_many(indicators, program, as_of=as_of)


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


def training_date(program):
    """The day of the hands-on training (the first training session), if any."""
    return program.sessions.filter(phase=SessionPhase.TRAINING).aggregate(d=Min("date"))["d"]


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


def checklist_reports(program, *, before=None):
    started = training_date(program)
    tracks = Track.objects.filter(enrollment__program=program)
    if before is not None:
        tracks = tracks.filter(completed_at__lt=before)
    reports = []
    for template in program_template_summaries(program):
        days = []
        if started:
            for completed_at in tracks.filter(
                template=template, completed_at__isnull=False
            ).values_list("completed_at", flat=True):
                days.append((timezone.localtime(completed_at).date() - started).days)
        result = (
            funnel(template, [program])
            if before is None
            else funnel_as_of(template, program, before)
        )
        reports.append(TrackReport(funnel=result, days_to_complete=sorted(days)))
    return reports


def mentoring_summary(program, *, as_of=None):
    contacts = (
        MentoringContact.objects.filter(enrollment__program=program)
        if as_of is None
        else mentoring_contacts_as_of(program, as_of)
    )
    totals = contacts.aggregate(
        contacts=Count("pk"),
        people=Count("enrollment", distinct=True),
        resolved=Count("pk", filter=Q(resolved=True)),
    )
    totals["by_channel"] = Counter(
        dict(contacts.values_list("channel").annotate(n=Count("pk")).order_by())
    )
    return totals


def participant_annex(program):
    """Per participant: sessions attended, and each checklist's steps satisfied / total."""
    enrollments = list(participant_attendance(program))
    current_steps = dict(
        ChecklistStep.objects.filter(archived_at__isnull=True, required=True)
        .values_list("template_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tracks = (
        Track.objects.filter(enrollment__program=program)
        .select_related("template")
        .annotate(
            satisfied=Count(
                "progress",
                filter=Q(
                    progress__state__in=SATISFIED,
                    progress__step__archived_at__isnull=True,
                    progress__step__required=True,
                ),
            )
        )
        .order_by("template__name")
    )
    by_enrollment = {}
    for track in tracks:
        track.total = current_steps.get(track.template_id, 0)
        by_enrollment.setdefault(track.enrollment_id, []).append(track)
    for enrollment in enrollments:
        enrollment.report_tracks = by_enrollment.get(enrollment.pk, [])
    return enrollments


def session_facilitators(program):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(facilitated_sessions__program=program)
        .distinct()
        .order_by("first_name", "username")
    )


def program_report(program, *, annex=False, as_of=None):
    """Everything the evaluation report shows, as plain data for one template.

    Every section counts only what was recorded up to the end of `as_of` (a
    date; None: everything recorded until now), and the report says which
    day: Table 1, the method's sessions and attendance, the checklists, the
    surveys and the mentoring. The participant annex shows the current state.
    """
    before = cutoff(as_of)
    if as_of is None:
        sessions = session_attendance_summary(program)
        enrolled = Enrollment.objects.active().filter(program=program).count()
    else:
        sessions = sessions_as_of(program, as_of, before)
        enrolled = enrolled_as_of(program, as_of)
    surveys = list(program.surveys.select_related("baseline").order_by("created_at", "pk"))
    settings = ReportSettings.objects.filter(program=program).first()
    photos = list(program.report_photos.all())
    indicators = program_indicators(program, as_of=as_of)
    return {
        "program": program,
        "facilitators": session_facilitators(program),
        "enrolled": enrolled,
        "sessions": sessions,
        "method": sessions_by_phase(sessions),
        "settings": settings,
        "photos": photos,
        # The uploaded files the PDF may embed (see pkk_training.pdf).
        "pdf_media": [
            f.name for f in [settings and settings.logo, *(p.image for p in photos)] if f
        ],
        "signatories": list(program.report_signatories.all()),
        "sessions_held": sum(1 for s in sessions if s.date <= (as_of or timezone.localdate())),
        "indicators": indicators,
        "twins": indicator_twins(indicators),
        "as_of": as_of,
        "checklists": checklist_reports(program, before=before),
        "surveys": [
            (s, survey_results(s, before=before), pre_post(s, before=before)) for s in surveys
        ],
        "mentoring": mentoring_summary(program, as_of=as_of),
        "annex": participant_annex(program) if annex else None,
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
