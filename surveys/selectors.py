from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min, Q

from participants.models import Enrollment
from surveys.enums import CHOICE_KINDS, TEXT_KINDS, QuestionKind
from surveys.models import Answer, HeldResponse, Response

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
    question (n). Six queries whatever the number of responses. With `before`
    (a datetime) only responses submitted before it count.
    """
    questions = list(survey_questions(survey))
    responses = survey.responses.all()
    answers = Answer.objects.filter(response__survey=survey)
    picked = Answer.choices.through.objects.filter(answer__response__survey=survey)
    if before is not None:
        responses = responses.filter(submitted_at__lt=before)
        answers = answers.filter(response__submitted_at__lt=before)
        picked = picked.filter(answer__response__submitted_at__lt=before)
    total = responses.count()
    answered = dict(answers.values_list("question_id").annotate(n=Count("pk")).order_by())
    picks = dict(picked.values_list("choice_id").annotate(n=Count("pk")).order_by())
    numbers = {
        row["question_id"]: row
        for row in answers.filter(question__kind=QuestionKind.NUMBER, number__isnull=False)
        .values("question_id")
        .annotate(count=Count("pk"), avg=Avg("number"), min=Min("number"), max=Max("number"))
        .order_by()
    }
    texts = defaultdict(list)
    for question_id, text in (
        answers.filter(question__kind__in=TEXT_KINDS)
        .exclude(text="")
        .order_by("response__submitted_at", "pk")
        .values_list("question_id", "text")
    ):
        texts[question_id].append(text)
    results = []
    for question in questions:
        n = answered.get(question.pk, 0)
        result = QuestionResult(question=question, answered=n, total=total)
        if question.kind in CHOICE_LIKE:
            result.options = [
                OptionCount(c, picks.get(c.pk, 0), 100 * picks.get(c.pk, 0) / n if n else 0)
                for c in question.choices.all()
            ]
        elif question.kind == QuestionKind.NUMBER:
            result.stats = numbers.get(question.pk)
        else:
            result.texts = texts[question.pk]
        results.append(result)
    return results


def _scores(survey, participant_ids):
    """participant id → {question position: correct?} over the survey's scored questions."""
    scored = [q for q in survey_questions(survey) if q.kind in CHOICE_LIKE and q.is_scored]
    correct = {q.pk: {c.pk for c in q.choices.all() if c.is_correct} for q in scored}
    position = {q.pk: i for i, q in enumerate(scored, start=1)}
    picked = defaultdict(lambda: defaultdict(set))
    for participant_id, question_id, choice_id in Answer.choices.through.objects.filter(
        answer__response__survey=survey,
        answer__response__participant_id__in=participant_ids,
        answer__question_id__in=correct,
    ).values_list("answer__response__participant_id", "answer__question_id", "choice_id"):
        picked[participant_id][question_id].add(choice_id)
    return len(scored), {
        pid: {position[qid]: picked[pid][qid] == correct[qid] for qid in correct}
        for pid in participant_ids
    }


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


def pre_post(survey, *, before=None):
    """Scores before and after for participants who answered both tests.

    Questions are paired by their order among the scored questions of each
    test (a post-test is usually a copy of its pre-test). With `before` (a
    datetime) only tests submitted before it count.
    """
    if survey.baseline_id is None:
        return None
    responses = Response.objects.filter(participant__isnull=False)
    if before is not None:
        responses = responses.filter(submitted_at__lt=before)
    both = set(responses.filter(survey=survey).values_list("participant_id", flat=True)) & set(
        responses.filter(survey_id=survey.baseline_id).values_list("participant_id", flat=True)
    )
    n_pre, before = _scores(survey.baseline, both)
    n_post, after = _scores(survey, both)
    n = min(n_pre, n_post)
    if not both or not n:
        return PrePost(pairs=len(both), questions=n, mean_pre=None, mean_post=None, per_question=[])

    def score(marks):
        return 100 * sum(marks[i] for i in range(1, n + 1)) / n

    scored_post = [q for q in survey_questions(survey) if q.kind in CHOICE_LIKE and q.is_scored]
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
