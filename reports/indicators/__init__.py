"""Success indicators ("Tabel 1"): who counts, who succeeded, why the rest did not.

Every count can be taken "as of" a day: only what was recorded up to the end
of that day counts, read from the history tables (attendance changes,
checklist progress changes, survey submission times), so a report handed in
can be produced again with the same figures.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import F, UUIDField, Value
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from checklists.enums import StepState
from checklists.models import ProgressEvent, StepProgress, Track
from participants.models import Enrollment
from reports.enums import SMALL_N, Population, ReasonSource, SuccessSource
from reports.indicators.history import cutoff, latest
from reports.indicators.links import success_choice_ids, template_ids, with_links
from reports.indicators.reasons import Failed, failure_reasons
from reports.models import Indicator
from sessions.enums import ATTENDED
from sessions.models import Attendance, AttendanceEvent
from surveys.models import Answer, Response

__all__ = [
    "IndicatorResult",
    "cutoff",
    "evaluate",
    "evaluate_many",
    "evaluate_programs",
    "latest",
    "who_succeeded",
    "with_links",
]


@dataclass
class IndicatorResult:
    indicator: object
    numerator: int
    denominator: int
    reasons: list = field(default_factory=list)
    enrolled: int = 0  # everyone enrolled (as of the same day), for the base sentence

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

    @property
    def base(self):
        """Over whom the percentage is taken, in words."""
        indicator = self.indicator
        if indicator.population == Population.ATTENDED_SESSION and indicator.population_session:
            session = indicator.population_session
            return _(
                "%(n)s participants who attended “%(session)s” on %(date)s, "
                "of %(enrolled)s enrolled"
            ) % {
                "n": self.denominator,
                "session": session.title,
                "date": formats.date_format(session.date, "j F Y"),
                "enrolled": self.enrolled,
            }
        if indicator.population == Population.ANSWERED_SURVEY and indicator.population_survey:
            return _("%(n)s participants who answered “%(survey)s”, of %(enrolled)s enrolled") % {
                "n": self.denominator,
                "survey": indicator.population_survey.title,
                "enrolled": self.enrolled,
            }
        return _("all %(n)s participants enrolled") % {"n": self.denominator}


def evaluate(indicator, program, *, with_reasons=True, as_of=None):
    return evaluate_many([indicator], program, with_reasons=with_reasons, as_of=as_of)[0]


def evaluate_many(indicators, program, *, with_reasons=True, as_of=None, history=None):
    """`history`: the program's History up to the end of `as_of`, to read the
    events from (by default they are read here)."""
    pairs = [(program, list(indicators))]
    return evaluate_programs(pairs, with_reasons=with_reasons, as_of=as_of, history=history)[
        program.pk
    ]


class _Facts:
    """Who counts and who succeeded, for many programs' indicators at once.

    One query per kind of source or population, whatever the number of
    programs or participants; the sets are intersected here.
    """

    def __init__(self, pairs, before=None, *, with_reasons=False, history=None):
        programs = [p.pk for p, _i in pairs]
        # One program's events, read once for the whole report (None: read here).
        self.history = history
        if history is not None:
            assert programs == [history.program.pk] and before == history.before
        indicators = [i for _p, group in pairs for i in group]

        def ids(name):
            return {getattr(i, name) for i in indicators if getattr(i, name)}

        def grouped(rows):
            out = defaultdict(set)
            for key, participant in rows:
                out[key].add(participant)
            return out

        # The sets read from current rows (not from the history) travel together:
        # one UNION ALL query of (key, key, participant) rows, each tagged with its set.
        current = {}
        enrolled = Enrollment.objects.active().filter(program_id__in=programs)
        if before is not None:
            enrolled = enrolled.filter(enrolled_on__lt=timezone.localtime(before).date())
        current["enrolled"] = (enrolled, ("program_id", "pk", "participant_id"))
        surveys = ids("population_survey_id")
        if surveys:
            responses = Response.objects.filter(survey_id__in=surveys, participant__isnull=False)
            if before is not None:
                responses = responses.filter(submitted_at__lt=before)
            current["answered"] = (responses, ("survey_id", "pk", "participant_id"))
        if any(i.source == SuccessSource.CHECKLIST_COMPLETE for i in indicators):
            tracks = Track.objects.filter(enrollment__program_id__in=programs)
            tracks = (
                tracks.filter(completed_at__lt=before)
                if before is not None
                else tracks.filter(completed_at__isnull=False)
            )
            current["completed"] = (
                tracks,
                ("enrollment__program_id", "template_id", "enrollment__participant_id"),
            )
        sessions = ids("population_session_id") | ids("session_id")
        in_program = any(i.source == SuccessSource.ATTENDED_MIN for i in indicators)
        steps = ids("step_id")
        if before is None:
            attended = Attendance.objects.filter(status__in=ATTENDED)
            fields = ("session_id", "session__program_id", "participant_id")
            if sessions:
                current["attended"] = (attended.filter(session_id__in=sessions), fields)
            if in_program:
                current["attended_in_program"] = (
                    attended.filter(session__program_id__in=programs),
                    fields,
                )
            if steps:
                current["steps_done"] = (
                    StepProgress.objects.filter(
                        step_id__in=steps,
                        state=StepState.DONE,
                        track__enrollment__program_id__in=programs,
                    ),
                    (
                        "track__enrollment__program_id",
                        "step_id",
                        "track__enrollment__participant_id",
                    ),
                )
        # The answers behind "why not" come with the success answers, in label order
        # (ties between reasons break in the database's order).
        questions = ids("question_id") | (ids("reason_question_id") if with_reasons else set())
        if questions:
            picks = Answer.choices.through.objects.filter(answer__question_id__in=questions)
            if before is not None:
                picks = picks.filter(answer__response__submitted_at__lt=before)
            current["picks"] = (
                picks,
                (
                    "answer__question_id",
                    "choice_id",
                    "answer__response__participant_id",
                    "choice__label",
                ),
            )
        # The checklists' blocked reasons too; as of a day they come from the history.
        # Every checklist's: which ones an indicator names is known only with its links.
        self.blocked = None
        by_checklist = any(i.reason_source == ReasonSource.CHECKLIST for i in indicators)
        if with_reasons and by_checklist and before is None:
            blocked = StepProgress.objects.filter(
                state=StepState.BLOCKED, track__enrollment__program_id__in=programs
            )
            current["blocked"] = (
                blocked,
                (
                    "track__enrollment__program_id",
                    "track__template_id",
                    "track__enrollment__participant_id",
                    "reason__label",
                ),
            )
        # The many-to-many links of indicators read without them (see with_links).
        unlinked = [i for i in indicators if i.pk is not None and not hasattr(i, "template_ids")]
        if unlinked:
            pks = [i.pk for i in unlinked]
            # No participant: typed like the participant ids of the other rows.
            no_one = {"no_one": Cast(Value(None), UUIDField())}
            current["link_template"] = (
                Indicator.templates.through.objects.filter(indicator_id__in=pks).annotate(**no_one),
                ("indicator_id", "checklisttemplate_id", "no_one"),
            )
            current["link_choice"] = (
                Indicator.success_choices.through.objects.filter(indicator_id__in=pks).annotate(
                    **no_one
                ),
                ("indicator_id", "choice_id", "no_one"),
            )
        rows = _tagged_union(current)
        for indicator in unlinked:
            indicator.template_ids, indicator.success_choice_ids = [], []
        by_pk = {i.pk: i for i in unlinked}
        for indicator_id, template_id, _no_one in rows["link_template"]:
            by_pk[indicator_id].template_ids.append(template_id)
        for indicator_id, choice_id, _no_one in rows["link_choice"]:
            by_pk[indicator_id].success_choice_ids.append(choice_id)
        if "blocked" in current:
            self.blocked = list(dict.fromkeys(rows["blocked"]))
        self.enrolled = grouped((program, person) for program, _p, person in rows["enrolled"])
        self.answered = grouped((survey, person) for survey, _s, person in rows["answered"])
        self.completed = grouped(
            ((program, template), person) for program, template, person in rows["completed"]
        )
        if before is None:
            attended = [((s, person), program) for s, program, person in rows["attended"]]
            in_program_rows = [
                ((s, person), program) for s, program, person in rows["attended_in_program"]
            ]
            steps_done = (((program, step), person) for program, step, person in rows["steps_done"])
        else:
            attended = self._attendance({"session_id__in": sessions}, before) if sessions else []
            if not in_program:
                in_program_rows = []
            elif history is not None:
                in_program_rows = self._attendance_in(history)
            else:
                in_program_rows = self._attendance({"session__program_id__in": programs}, before)
            if not steps:
                steps_done = []
            elif history is not None:
                steps_done = self._steps_done_in(history, steps)
            else:
                steps_done = self._steps_done(steps, programs, before)
        self.attended = grouped(
            (session, participant) for (session, participant), _program in attended
        )
        self.steps_done = grouped(steps_done)
        self.sessions_attended = defaultdict(Counter)
        for (_session, participant), program_id in in_program_rows:
            self.sessions_attended[program_id][participant] += 1
        self.picks = rows["picks"]
        self.picked = grouped(
            ((question_id, choice_id), participant)
            for question_id, choice_id, participant, _label in self.picks
        )

    @staticmethod
    def _attendance(where, before):
        """[((session, participant), program)] marked present or late (as of `before`)."""
        if before is None:
            return [
                ((session, participant), program)
                for session, participant, program in Attendance.objects.filter(
                    status__in=ATTENDED, **where
                ).values_list("session_id", "participant_id", "session__program_id")
            ]
        last = latest(
            ((session, participant), (status, program))
            for session, participant, status, program in AttendanceEvent.objects.filter(
                at__lt=before, superseded=False, **where
            )
            .order_by("at", "pk")
            .values_list("session_id", "participant_id", "status", "session__program_id")
        )
        return [(key, program) for key, (status, program) in last.items() if status in ATTENDED]

    @staticmethod
    def _attendance_in(history):
        """_attendance over the program's sessions, from its history."""
        last = latest(
            ((session, participant), status)
            for session, participant, status, superseded, _eligible in history.attendance
            if not superseded
        )
        program = history.program.pk
        return [(key, program) for key, status in last.items() if status in ATTENDED]

    @staticmethod
    def _steps_done_in(history, steps):
        """_steps_done as of the history's cut-off, from it."""
        program = history.program.pk
        last = latest(
            ((step, participant), state)
            for _track, _template, participant, step, state, _reason, _label in history.progress
            if step in steps
        )
        return (
            ((program, step), participant)
            for (step, participant), state in last.items()
            if state == StepState.DONE
        )

    @staticmethod
    def _steps_done(steps, programs, before):
        if before is None:
            return (
                ((program_id, step_id), participant)
                for program_id, step_id, participant in StepProgress.objects.filter(
                    step_id__in=steps,
                    state=StepState.DONE,
                    track__enrollment__program_id__in=programs,
                ).values_list(
                    "track__enrollment__program_id", "step_id", "track__enrollment__participant_id"
                )
            )
        last = latest(
            ((program_id, step_id, participant), state)
            for program_id, step_id, participant, state in ProgressEvent.objects.filter(
                step_id__in=steps, track__enrollment__program_id__in=programs, at__lt=before
            )
            .order_by("at", "pk")
            .values_list(
                "track__enrollment__program_id",
                "step_id",
                "track__enrollment__participant_id",
                "state",
            )
        )
        return (
            ((program_id, step_id), participant)
            for (program_id, step_id, participant), state in last.items()
            if state == StepState.DONE
        )

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
                    self.picked.get((indicator.question_id, choice_id), set())
                    for choice_id in success_choice_ids(indicator)
                )
            )
        if source == SuccessSource.CHECKLIST_COMPLETE:
            return set().union(
                *(self.completed.get((program_id, t), set()) for t in template_ids(indicator))
            )
        if source == SuccessSource.CHECKLIST_STEP:
            return self.steps_done.get((program_id, indicator.step_id), set())
        if source == SuccessSource.ATTENDED_SESSION:
            return self.attended.get(indicator.session_id, set())
        minimum = indicator.min_sessions or 1
        return {p for p, n in self.sessions_attended[program_id].items() if n >= minimum}


def _tagged_union(parts):
    """{name: [row]} from {name: (queryset, fields)}, all in one UNION ALL query.

    `fields`: three, or four when the last is a label: those rows come in label
    order, with the label.
    """
    rows = defaultdict(list)
    tagged = [
        queryset.order_by()
        .annotate(row_label=F(fields[3]) if len(fields) > 3 else Value(""), row_set=Value(name))
        .values_list(*fields[:3], "row_label", "row_set")
        for name, (queryset, fields) in parts.items()
    ]
    first, *rest = tagged
    combined = first.union(*rest, all=True) if rest else first
    labelled = {name for name, (_queryset, fields) in parts.items() if len(fields) > 3}
    for *row, label, name in combined.order_by("row_label") if labelled else combined:
        rows[name].append((*row, label) if name in labelled else tuple(row))
    return rows


def who_succeeded(indicator, program, *, as_of=None):
    """(counted, succeeded): the participant ids behind one indicator's denominator
    and numerator, as `evaluate` counts them. The indicator may be unsaved."""
    facts = _Facts([(program, [indicator])], cutoff(as_of))
    counted = facts.population(indicator, program.pk)
    return counted, counted & facts.success(indicator, program.pk)


def evaluate_programs(pairs, *, with_reasons=True, as_of=None, history=None):
    """{program id: [IndicatorResult]} for [(program, [indicator, …]), …].

    With `as_of` (a date) only what was recorded up to the end of that day
    counts. A fixed number of queries for any number of programs, indicators
    and participants: one per kind of source or population, and with
    `with_reasons` one per kind of failure breakdown.
    """
    before = cutoff(as_of)
    facts = _Facts(pairs, before, with_reasons=with_reasons, history=history)
    results, failed = {}, []
    for program, indicators in pairs:
        results[program.pk] = []
        for indicator in indicators:
            counted = facts.population(indicator, program.pk)
            succeeded = counted & facts.success(indicator, program.pk)
            result = IndicatorResult(
                indicator,
                len(succeeded),
                len(counted),
                enrolled=len(facts.enrolled.get(program.pk, ())),
            )
            if result.rest and with_reasons:
                failed.append(Failed(result, program.pk, counted - succeeded))
            results[program.pk].append(result)
    failure_reasons(failed, facts, before)
    return results
