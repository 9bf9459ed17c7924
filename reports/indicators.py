"""Success indicators ("Tabel 1"): who counts, who succeeded, why the rest did not.

Every count can be taken "as of" a day: only what was recorded up to the end
of that day counts, read from the history tables (attendance changes,
checklist progress changes, survey submission times), so a report handed in
can be produced again with the same figures.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Value
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from checklists.enums import StepState
from checklists.models import ProgressEvent, StepProgress, Track
from participants.models import Enrollment
from reports.enums import SMALL_N, Population, ReasonSource, SuccessSource
from reports.models import Indicator
from sessions.enums import ATTENDED
from sessions.models import Attendance, AttendanceEvent
from surveys.models import Answer, Response


def cutoff(as_of):
    """The first moment after the day `as_of` (local time); None stays None."""
    if as_of is None:
        return None
    return timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))


def _latest(events):
    """{key: value} keeping the last value of each key; `events` come oldest first."""
    latest = {}
    for key, value in events:
        latest[key] = value
    return latest


def _reason_templates(indicator):
    if indicator.step_id:
        return {indicator.step.template_id}
    return set(_template_ids(indicator))


def _most_first(people):
    """[(label, people)] from {label: participant ids}, most first; the dict's
    order (the database's order of the labels) breaks ties."""
    return sorted(((label, len(ids)) for label, ids in people.items()), key=lambda r: -r[1])


class _Failed:
    """One indicator's people counted but not successful, and why."""

    def __init__(self, result, program_id, participant_ids):
        self.result = result
        self.indicator = result.indicator
        self.program_id = program_id
        self.participant_ids = participant_ids


def _failure_reasons(failed, facts, before=None):
    """Sets each result's reasons: [(reason label, people)] among those counted
    but not successful, most first. One query for the checklists' reasons,
    whatever the number of indicators; the answers come with the facts."""
    checklist = [f for f in failed if f.indicator.reason_source == ReasonSource.CHECKLIST]
    if checklist:
        _checklist_reasons(checklist, before)
    for f in failed:
        if f.indicator.reason_source == ReasonSource.SURVEY_QUESTION:
            f.result.reasons = _answered_reasons(f, facts.picks)


def _everyone(failed):
    return {
        "programs": {f.program_id for f in failed},
        "participants": set().union(*(f.participant_ids for f in failed)),
    }


def _checklist_reasons(failed, before):
    templates = {f: _reason_templates(f.indicator) for f in failed}
    everyone = _everyone(failed)
    where = {
        "track__template_id__in": set().union(*templates.values()),
        "track__enrollment__program_id__in": everyone["programs"],
        "track__enrollment__participant_id__in": everyone["participants"],
    }
    fields = ("track__enrollment__program_id", "track__template_id")
    participant = "track__enrollment__participant_id"
    if before is None:
        rows = list(
            StepProgress.objects.filter(state=StepState.BLOCKED, **where)
            .values_list(*fields, participant, "reason__label")
            .distinct()
            .order_by("reason__label")
        )
    else:
        # Each step's last change before `before`: blocked then, with a reason.
        last = _latest(
            ((program, template, person, step), (state, label))
            for program, template, person, step, state, label in ProgressEvent.objects.filter(
                at__lt=before, **where
            )
            .order_by("at", "pk")
            .values_list(*fields, participant, "step_id", "state", "reason__label")
        )
        rows = sorted(
            (
                (*key[:3], label)
                for key, (state, label) in last.items()
                if state == StepState.BLOCKED and label
            ),
            key=lambda row: row[3],
        )
    for f in failed:
        people = {}
        for program, template, person, label in rows:
            if program == f.program_id and template in templates[f] and person in f.participant_ids:
                people.setdefault(label, set()).add(person)
        f.result.reasons = _most_first(people)


def _answered_reasons(failed, picks):
    """From the picks [(question, choice, participant, label)] in label order."""
    people = {}
    question = failed.indicator.reason_question_id
    for question_id, _choice, person, label in picks:
        if question_id == question and question is not None and person in failed.participant_ids:
            people.setdefault(label, set()).add(person)
    return _most_first(people)


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


def evaluate_many(indicators, program, *, with_reasons=True, as_of=None):
    return evaluate_programs([(program, list(indicators))], with_reasons=with_reasons, as_of=as_of)[
        program.pk
    ]


class _Facts:
    """Who counts and who succeeded, for many programs' indicators at once.

    One query per kind of source or population, whatever the number of
    programs or participants; the sets are intersected here.
    """

    def __init__(self, pairs, before=None, *, with_reasons=False):
        programs = [p.pk for p, _i in pairs]
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
        rows = _tagged_union(current)
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
            in_program_rows = (
                self._attendance({"session__program_id__in": programs}, before)
                if in_program
                else []
            )
            steps_done = self._steps_done(steps, programs, before) if steps else []
        self.attended = grouped(
            (session, participant) for (session, participant), _program in attended
        )
        self.steps_done = grouped(steps_done)
        self.sessions_attended = defaultdict(Counter)
        for (_session, participant), program_id in in_program_rows:
            self.sessions_attended[program_id][participant] += 1
        # The answers behind "why not" come with the success answers: one query,
        # in label order (ties between reasons break in the database's order).
        questions = ids("question_id") | (ids("reason_question_id") if with_reasons else set())
        picks = Answer.choices.through.objects.filter(answer__question_id__in=questions)
        if before is not None:
            picks = picks.filter(answer__response__submitted_at__lt=before)
        self.picks = (
            list(
                picks.values_list(
                    "answer__question_id",
                    "choice_id",
                    "answer__response__participant_id",
                    "choice__label",
                ).order_by("choice__label")
            )
            if questions
            else []
        )
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
        last = _latest(
            ((session, participant), (status, program))
            for session, participant, status, program in AttendanceEvent.objects.filter(
                at__lt=before, superseded=False, **where
            )
            .order_by("at", "pk")
            .values_list("session_id", "participant_id", "status", "session__program_id")
        )
        return [(key, program) for key, (status, program) in last.items() if status in ATTENDED]

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
        last = _latest(
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
                    for choice_id in _success_choice_ids(indicator)
                )
            )
        if source == SuccessSource.CHECKLIST_COMPLETE:
            return set().union(
                *(self.completed.get((program_id, t), set()) for t in _template_ids(indicator))
            )
        if source == SuccessSource.CHECKLIST_STEP:
            return self.steps_done.get((program_id, indicator.step_id), set())
        if source == SuccessSource.ATTENDED_SESSION:
            return self.attended.get(indicator.session_id, set())
        minimum = indicator.min_sessions or 1
        return {p for p, n in self.sessions_attended[program_id].items() if n >= minimum}


def with_links(indicators):
    """The indicators as a list, each with `template_ids` and `success_choice_ids`:
    both many-to-many links read in one query (two prefetches would take two)."""
    indicators = list(indicators)
    if not indicators:
        return indicators
    pks = [i.pk for i in indicators]
    templates = Indicator.templates.through.objects.filter(indicator_id__in=pks).values_list(
        "indicator_id", "checklisttemplate_id", Value("template")
    )
    choices = Indicator.success_choices.through.objects.filter(indicator_id__in=pks).values_list(
        "indicator_id", "choice_id", Value("choice")
    )
    links = defaultdict(lambda: {"template": [], "choice": []})
    for indicator_id, linked_id, kind in templates.union(choices, all=True):
        links[indicator_id][kind].append(linked_id)
    for indicator in indicators:
        indicator.template_ids = links[indicator.pk]["template"]
        indicator.success_choice_ids = links[indicator.pk]["choice"]
    return indicators


def _tagged_union(parts):
    """{name: [row]} from {name: (queryset, fields)}, all in one UNION ALL query."""
    rows = defaultdict(list)
    tagged = [
        queryset.order_by().values_list(*fields, Value(name))
        for name, (queryset, fields) in parts.items()
    ]
    first, *rest = tagged
    for *row, name in first.union(*rest, all=True) if rest else first:
        rows[name].append(tuple(row))
    return rows


def _template_ids(indicator):
    """The checklists of a "checklist completed" indicator: `template_ids` when
    set (see with_links; an unsaved certificate rule names them there)."""
    if hasattr(indicator, "template_ids"):
        return list(indicator.template_ids)
    if indicator.pk is None:
        return []
    return [t.pk for t in indicator.templates.all()]


def _success_choice_ids(indicator):
    if hasattr(indicator, "success_choice_ids"):
        return indicator.success_choice_ids
    return [c.pk for c in indicator.success_choices.all()]


def who_succeeded(indicator, program, *, as_of=None):
    """(counted, succeeded): the participant ids behind one indicator's denominator
    and numerator, as `evaluate` counts them. The indicator may be unsaved."""
    facts = _Facts([(program, [indicator])], cutoff(as_of))
    counted = facts.population(indicator, program.pk)
    return counted, counted & facts.success(indicator, program.pk)


def evaluate_programs(pairs, *, with_reasons=True, as_of=None):
    """{program id: [IndicatorResult]} for [(program, [indicator, …]), …].

    With `as_of` (a date) only what was recorded up to the end of that day
    counts. A fixed number of queries for any number of programs, indicators
    and participants: one per kind of source or population, and with
    `with_reasons` one per kind of failure breakdown.
    """
    before = cutoff(as_of)
    facts = _Facts(pairs, before, with_reasons=with_reasons)
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
                failed.append(_Failed(result, program.pk, counted - succeeded))
            results[program.pk].append(result)
    _failure_reasons(failed, facts, before)
    return results
