from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min, Prefetch, Q

from participants.models import Enrollment
from surveys.enums import CHOICE_KINDS, TEXT_KINDS, QuestionKind
from surveys.models import Answer, Choice, HeldResponse, Question, Response

CHOICE_LIKE = (*CHOICE_KINDS, QuestionKind.YES_NO, QuestionKind.SCALE)


def program_surveys(program):
    return program.surveys.annotate(n_responses=Count("responses")).order_by("-created_at", "pk")


def survey_questions(survey):
    return survey.questions.prefetch_related("choices").order_by("position", "pk")


@dataclass
class OptionCount:
    choice: object
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: object
    answered: int  # n: respondents who answered this question
    total: int  # N: respondents of the survey
    options: list = field(default_factory=list)  # OptionCount, for choice-like questions
    stats: dict | None = None  # count/avg/min/max for numbers
    texts: list = field(default_factory=list)

    @property
    def percent_answered(self):
        return 100 * self.answered / self.total if self.total else 0

    @property
    def scale_mean(self):
        """The mean of a 1–5 scale question over those who answered it, else None."""
        if self.question.kind != QuestionKind.SCALE:
            return None
        scored = [(int(o.choice.value), o.count) for o in self.options if o.choice.value.isdigit()]
        people = sum(count for _value, count in scored)
        return sum(value * count for value, count in scored) / people if people else None


def survey_results(survey, *, before=None):
    """Per question: n of N, counts and percentages, number statistics, the texts.

    The percentage of an option is over the respondents who answered the
    question (n). With `before` (a datetime) only responses submitted before
    it count.
    """
    return survey_report(survey, before=before)[0]


def pre_post(survey, *, before=None):
    """Scores before and after for participants who answered both tests; None
    without a baseline.

    Questions are paired by their order among the scored questions of each
    test (a post-test is usually a copy of its pre-test). With `before` (a
    datetime) only tests submitted before it count.
    """
    return survey_report(survey, before=before)[1]


def survey_report(survey, *, before=None):
    """(survey_results, pre_post) of one survey, sharing their queries."""
    survey.n_counted = _counted(Response.objects.filter(survey=survey), before).count()
    return surveys_report([survey], before=before)[survey.pk]


def _counted(responses, before, prefix=""):
    if before is None:
        return responses
    return responses.filter(**{f"{prefix}submitted_at__lt": before})


def with_counted_responses(surveys, *, before=None):
    """Surveys annotated with `n_counted`: their responses (submitted before `before`)."""
    counted = None if before is None else Q(responses__submitted_at__lt=before)
    return surveys.annotate(n_counted=Count("responses", filter=counted))


def surveys_report(surveys, *, before=None):
    """{survey id: (survey_results, pre_post)} for surveys carrying `n_counted`
    (see with_counted_responses).

    Three queries whatever the number of surveys, questions or responses (the
    questions with their answer counts and number statistics, their choices
    with their picks, the texts when some were written), and two more when a
    survey has a baseline.
    """
    surveys = list(surveys)
    baselines = {s.baseline_id for s in surveys if s.baseline_id is not None}
    questions = defaultdict(list)
    for question in _questions_counted({s.pk for s in surveys} | baselines, before):
        questions[question.survey_id].append(question)
    texts = defaultdict(list)
    answered_in_words = [
        q.pk for qs in questions.values() for q in qs if q.kind in TEXT_KINDS and q.n_answered
    ]
    for question_id, text in (
        _counted(Answer.objects.filter(question_id__in=answered_in_words), before, "response__")
        .exclude(text="")
        .order_by("response__submitted_at", "pk")
        .values_list("question_id", "text")
        if answered_in_words
        else ()
    ):
        texts[question_id].append(text)
    scores = _PrePostScores(surveys, questions, before) if baselines else None
    return {
        s.pk: (
            [_question_result(q, s.n_counted, texts) for q in questions[s.pk]],
            scores.pre_post(s) if s.baseline_id is not None else None,
        )
        for s in surveys
    }


def _questions_counted(survey_ids, before):
    in_time = None if before is None else Q(answers__response__submitted_at__lt=before)
    number = Q(kind=QuestionKind.NUMBER, answers__number__isnull=False)
    if in_time is not None:
        number &= in_time
    choices = Choice.objects.annotate(n_picked=Count("answers", filter=in_time))
    return (
        Question.objects.filter(survey_id__in=survey_ids)
        .annotate(
            n_answered=Count("answers", filter=in_time),
            n_numbers=Count("answers", filter=number),
            number_avg=Avg("answers__number", filter=number),
            number_min=Min("answers__number", filter=number),
            number_max=Max("answers__number", filter=number),
        )
        .prefetch_related(Prefetch("choices", queryset=choices.order_by("position", "pk")))
        .order_by("survey_id", "position", "pk")
    )


def _question_result(question, total, texts):
    n = question.n_answered
    result = QuestionResult(question=question, answered=n, total=total)
    if question.kind in CHOICE_LIKE:
        result.options = [
            OptionCount(c, c.n_picked, 100 * c.n_picked / n if n else 0)
            for c in question.choices.all()
        ]
    elif question.kind == QuestionKind.NUMBER and question.n_numbers:
        result.stats = {
            "question_id": question.pk,
            "count": question.n_numbers,
            "avg": question.number_avg,
            "min": question.number_min,
            "max": question.number_max,
        }
    elif question.kind in TEXT_KINDS:
        result.texts = texts[question.pk]
    return result


def survey_scores(survey):
    """participant id → score 0–100 (share of scored questions answered right), for
    each participant who answered; {} when the survey has no scored question."""
    answered = list(
        Response.objects.filter(survey=survey, participant__isnull=False)
        .values_list("participant_id", flat=True)
        .distinct()
    )
    questions, marks = _scores(survey, answered)
    if not questions:
        return {}
    return {pid: 100 * sum(right.values()) / questions for pid, right in marks.items()}


def _scored(questions):
    return [q for q in questions if q.kind in CHOICE_LIKE and q.is_scored]


def _marks(scored, picked, participant_ids):
    """(number of scored questions, {participant id: {position: right?}})."""
    correct = {q.pk: {c.pk for c in q.choices.all() if c.is_correct} for q in scored}
    position = {q.pk: i for i, q in enumerate(scored, start=1)}
    return len(scored), {
        pid: {position[qid]: picked[pid][qid] == correct[qid] for qid in correct}
        for pid in participant_ids
    }


def _scores(survey, participant_ids):
    """participant id → {question position: correct?} over the survey's scored questions."""
    scored = _scored(survey_questions(survey))
    picked = defaultdict(lambda: defaultdict(set))
    for participant_id, question_id, choice_id in Answer.choices.through.objects.filter(
        answer__response__survey=survey,
        answer__response__participant_id__in=participant_ids,
        answer__question_id__in=[q.pk for q in scored],
    ).values_list("answer__response__participant_id", "answer__question_id", "choice_id"):
        picked[participant_id][question_id].add(choice_id)
    return _marks(scored, picked, participant_ids)


@dataclass
class PrePost:
    pairs: int
    questions: int
    mean_pre: float | None  # mean score, 0–100
    mean_post: float | None
    per_question: list  # (position, post question, % correct before, % correct after)

    @property
    def mean_gain(self):
        if self.mean_pre is None or self.mean_post is None:
            return None
        return self.mean_post - self.mean_pre


class _PrePostScores:
    """Who answered which test and what they picked on scored questions, for
    every pre/post pair among `surveys` at once: two queries."""

    def __init__(self, surveys, questions, before):
        tests = {s.pk for s in surveys if s.baseline_id} | {s.baseline_id for s in surveys}
        tests.discard(None)
        self.scored = {pk: _scored(questions[pk]) for pk in tests}
        self.answered = defaultdict(set)
        for survey_id, participant_id in _counted(
            Response.objects.filter(survey_id__in=tests, participant__isnull=False), before
        ).values_list("survey_id", "participant_id"):
            self.answered[survey_id].add(participant_id)
        # Every pick on a scored question counts, as when the scores are read one
        # survey at a time: only who took part is limited to `before`.
        self.picked = defaultdict(lambda: defaultdict(set))
        for participant_id, question_id, choice_id in Answer.choices.through.objects.filter(
            answer__response__survey_id__in=tests,
            answer__response__participant__isnull=False,
            answer__question_id__in=[q.pk for scored in self.scored.values() for q in scored],
        ).values_list("answer__response__participant_id", "answer__question_id", "choice_id"):
            self.picked[participant_id][question_id].add(choice_id)

    def pre_post(self, survey):
        both = self.answered[survey.pk] & self.answered[survey.baseline_id]
        n_pre, before = _marks(self.scored[survey.baseline_id], self.picked, both)
        n_post, after = _marks(self.scored[survey.pk], self.picked, both)
        n = min(n_pre, n_post)
        if not both or not n:
            return PrePost(
                pairs=len(both), questions=n, mean_pre=None, mean_post=None, per_question=[]
            )

        def score(marks):
            return 100 * sum(marks[i] for i in range(1, n + 1)) / n

        scored_post = self.scored[survey.pk]
        per_question = [
            (
                i,
                scored_post[i - 1],
                100 * sum(before[p][i] for p in both) / len(both),
                100 * sum(after[p][i] for p in both) / len(both),
            )
            for i in range(1, n + 1)
        ]
        return PrePost(
            pairs=len(both),
            questions=n,
            mean_pre=sum(score(before[p]) for p in both) / len(both),
            mean_post=sum(score(after[p]) for p in both) / len(both),
            per_question=per_question,
        )


def respondents_by_phone(survey, phone):
    """Who is actively enrolled in the survey's program with this E.164 phone:
    nobody, one person, or a household sharing the phone (at most two are read)."""
    return [
        enrollment.participant
        for enrollment in Enrollment.objects.filter(
            program_id=survey.program_id, status="active", participant__phone=phone
        )
        .select_related("participant")
        .order_by("participant__created_at")[:2]
    ]


def respondents(survey):
    """Active enrollments of the survey's program, each flagged `answered`."""
    return (
        Enrollment.objects.filter(program_id=survey.program_id, status="active")
        .select_related("participant", "program")
        .annotate(
            answered=Count(
                "participant__survey_responses",
                filter=Q(participant__survey_responses__survey=survey),
            )
        )
        .order_by("participant__full_name", "participant_id")
    )


def export_rows(survey):
    """One row per response: who, when, then each question's answer as text."""
    questions = list(survey_questions(survey))
    responses = list(
        survey.responses.select_related("participant")
        .prefetch_related("answers__choices")
        .order_by("submitted_at", "pk")
    )
    rows = []
    for response in responses:
        by_question = {a.question_id: a for a in response.answers.all()}
        cells = []
        for question in questions:
            answer = by_question.get(question.pk)
            if answer is None:
                cells.append("")
            elif question.kind in CHOICE_LIKE:
                cells.append("; ".join(c.label for c in answer.choices.all()))
            elif answer.number is not None:
                cells.append(_plain_number(answer.number))
            else:
                cells.append(answer.text)
        rows.append(
            [
                ""
                if survey.anonymous
                else (response.participant.full_name if response.participant else ""),
                response.submitted_at,
                response.get_channel_display(),
                *cells,
            ]
        )
    return questions, rows


def _plain_number(value):
    """12.00 → 12, 2.50 → 2.5: what a spreadsheet should show."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def held_responses(survey):
    return (
        HeldResponse.objects.filter(survey=survey)
        .select_related("participant")
        .order_by("submitted_at", "pk")
    )


def held_answer_lines(held, questions):
    """[(question text, answer as text)] of a held response, in question order."""
    stored = held.answers or {}
    lines = []
    for question in questions:
        value = stored.get(str(question.pk))
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            labels = {choice.pk: choice.label for choice in question.choices.all()}
            value = ", ".join(labels[pk] for pk in value if pk in labels)
        lines.append((question.text, str(value)))
    return lines
