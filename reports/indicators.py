"""Success indicators ("Tabel 1"): who counts, who succeeded, why the rest did not."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from checklists.enums import StepState
from checklists.models import StepProgress, Track
from participants.models import Enrollment
from reports.enums import SMALL_N, Population, ReasonSource, SuccessSource
from sessions.enums import ATTENDED
from sessions.models import Attendance
from surveys.models import Answer, Response


def _failure_reasons(indicator, program, failed_ids):
    """[(reason label, people)] among those counted but not successful, most first."""
    failed_ids = list(failed_ids)  # one program's people at most
    if indicator.reason_source == ReasonSource.CHECKLIST:
        if indicator.step_id:
            template_ids = [indicator.step.template_id]
        else:
            template_ids = [t.pk for t in indicator.templates.all()]
        rows = (
            StepProgress.objects.filter(
                state=StepState.BLOCKED,
                track__template_id__in=template_ids,
                track__enrollment__program=program,
                track__enrollment__participant_id__in=failed_ids,
            )
            .values("reason__label")
            .annotate(n=Count("track__enrollment__participant_id", distinct=True))
            .order_by("-n", "reason__label")
        )
        return [(row["reason__label"], row["n"]) for row in rows]
    if indicator.reason_source == ReasonSource.SURVEY_QUESTION and indicator.reason_question_id:
        rows = (
            Answer.choices.through.objects.filter(
                answer__question_id=indicator.reason_question_id,
                answer__response__participant_id__in=failed_ids,
            )
            .values("choice__label")
            .annotate(n=Count("answer__response__participant_id", distinct=True))
            .order_by("-n", "choice__label")
        )
        return [(row["choice__label"], row["n"]) for row in rows]
    return []


@dataclass
class IndicatorResult:
    indicator: object
    numerator: int
    denominator: int
    reasons: list = field(default_factory=list)

    @property
    def empty(self):
        return self.denominator == 0

    @property
    def rest(self):
        return self.denominator - self.numerator

    @property
    def percent(self):
        return 100 * self.numerator / self.denominator if self.denominator else None

    @property
    def rest_percent(self):
        return 100 * self.rest / self.denominator if self.denominator else None

    @property
    def small(self):
        return 0 < self.denominator < SMALL_N

    @property
    def sentence(self):
        """The seed's way: "90% (18 dari 20) peserta sudah …; 10% (2 dari 20) belum"."""
        label = self.indicator.label
        if self.empty:
            return _("No data yet for “%(label)s”.") % {"label": label}
        text = _(
            "%(pct)s%% (%(n)s of %(total)s) %(success)s; %(rest_pct)s%% (%(rest)s of %(total)s) "
            "%(failure)s"
        ) % {
            "pct": round(self.percent),
            "n": self.numerator,
            "total": self.denominator,
            "success": self.indicator.success_phrase,
            "rest_pct": round(self.rest_percent),
            "rest": self.rest,
            "failure": self.indicator.failure_phrase,
        }
        if self.rest and self.reasons:
            reason, count = self.reasons[0]
            text += _(", mostly because: %(reason)s (%(count)s people)") % {
                "reason": reason[:1].lower() + reason[1:],
                "count": count,
            }
        text += "."
        if self.small:
            text += " " + _("(Based on few people: n = %(n)s.)") % {"n": self.denominator}
        return text


def evaluate(indicator, program, *, with_reasons=True):
    return evaluate_many([indicator], program, with_reasons=with_reasons)[0]


def evaluate_many(indicators, program, *, with_reasons=True):
    return evaluate_programs([(program, list(indicators))], with_reasons=with_reasons)[program.pk]


class _Facts:
    """Who counts and who succeeded, for many programs' indicators at once.

    One query per kind of source or population, whatever the number of
    programs or participants; the sets are intersected here.
    """

    def __init__(self, pairs):
        programs = [p.pk for p, _i in pairs]
        indicators = [i for _p, group in pairs for i in group]

        def ids(name):
            return {getattr(i, name) for i in indicators if getattr(i, name)}

        def grouped(rows):
            out = defaultdict(set)
            for key, participant in rows:
                out[key].add(participant)
            return out

        self.enrolled = grouped(
            Enrollment.objects.active()
            .filter(program_id__in=programs)
            .values_list("program_id", "participant_id")
        )
        sessions = ids("population_session_id") | ids("session_id")
        self.attended = (
            grouped(
                Attendance.objects.filter(session_id__in=sessions, status__in=ATTENDED).values_list(
                    "session_id", "participant_id"
                )
            )
            if sessions
            else {}
        )
        surveys = ids("population_survey_id")
        self.answered = (
            grouped(
                Response.objects.filter(
                    survey_id__in=surveys, participant__isnull=False
                ).values_list("survey_id", "participant_id")
            )
            if surveys
            else {}
        )
        questions = ids("question_id")
        self.picked = (
            grouped(
                ((question_id, choice_id), participant)
                for question_id, choice_id, participant in Answer.choices.through.objects.filter(
                    answer__question_id__in=questions
                ).values_list(
                    "answer__question_id", "choice_id", "answer__response__participant_id"
                )
            )
            if questions
            else {}
        )
        self.completed = (
            grouped(
                ((program_id, template_id), participant)
                for program_id, template_id, participant in Track.objects.filter(
                    enrollment__program_id__in=programs, completed_at__isnull=False
                ).values_list("enrollment__program_id", "template_id", "enrollment__participant_id")
            )
            if any(i.source == SuccessSource.CHECKLIST_COMPLETE for i in indicators)
            else {}
        )
        steps = ids("step_id")
        self.steps_done = (
            grouped(
                ((program_id, step_id), participant)
                for program_id, step_id, participant in StepProgress.objects.filter(
                    step_id__in=steps,
                    state=StepState.DONE,
                    track__enrollment__program_id__in=programs,
                ).values_list(
                    "track__enrollment__program_id", "step_id", "track__enrollment__participant_id"
                )
            )
            if steps
            else {}
        )
        self.sessions_attended = defaultdict(Counter)
        if any(i.source == SuccessSource.ATTENDED_MIN for i in indicators):
            for program_id, participant, n in (
                Attendance.objects.filter(session__program_id__in=programs, status__in=ATTENDED)
                .values_list("session__program_id", "participant_id")
                .annotate(n=Count("pk"))
                .values_list("session__program_id", "participant_id", "n")
            ):
                self.sessions_attended[program_id][participant] = n

    def population(self, indicator, program_id):
        enrolled = self.enrolled.get(program_id, set())
        if indicator.population == Population.ATTENDED_SESSION:
            return enrolled & self.attended.get(indicator.population_session_id, set())
        if indicator.population == Population.ANSWERED_SURVEY:
            return enrolled & self.answered.get(indicator.population_survey_id, set())
        return enrolled

    def success(self, indicator, program_id):
        source = indicator.source
        if source == SuccessSource.SURVEY_ANSWER:
            return set().union(
                *(
                    self.picked.get((indicator.question_id, c.pk), set())
                    for c in indicator.success_choices.all()
                )
            )
        if source == SuccessSource.CHECKLIST_COMPLETE:
            return set().union(
                *(self.completed.get((program_id, t.pk), set()) for t in indicator.templates.all())
            )
        if source == SuccessSource.CHECKLIST_STEP:
            return self.steps_done.get((program_id, indicator.step_id), set())
        if source == SuccessSource.ATTENDED_SESSION:
            return self.attended.get(indicator.session_id, set())
        minimum = indicator.min_sessions or 1
        return {p for p, n in self.sessions_attended[program_id].items() if n >= minimum}


def evaluate_programs(pairs, *, with_reasons=True):
    """{program id: [IndicatorResult]} for [(program, [indicator, …]), …].

    A fixed number of queries for any number of programs and participants,
    plus one per failure breakdown when `with_reasons`.
    """
    facts = _Facts(pairs)
    results = {}
    for program, indicators in pairs:
        results[program.pk] = []
        for indicator in indicators:
            counted = facts.population(indicator, program.pk)
            succeeded = counted & facts.success(indicator, program.pk)
            result = IndicatorResult(indicator, len(succeeded), len(counted))
            if result.rest and with_reasons:
                result.reasons = _failure_reasons(indicator, program, counted - succeeded)
            results[program.pk].append(result)
    return results
