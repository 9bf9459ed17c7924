import logging
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pkk_training.ordering import move_in_order
from programs.enums import AuditAction
from programs.services import audit_record
from surveys.enums import CHOICE_KINDS, HeldReason, QuestionKind, ResponseChannel
from surveys.models import Answer, Choice, HeldResponse, Question, Response, Survey

audit_logger = logging.getLogger("pkk_training.audit")

SURVEY_FIELDS = ("kind", "title", "intro", "opens_at", "closes_at", "anonymous", "baseline")


def _check_survey(survey):
    if survey.baseline_id and survey.baseline.program_id != survey.program_id:
        raise ValidationError({"baseline": _("The pre-test must belong to the same program.")})
    if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
        raise ValidationError({"closes_at": _("The survey must close after it opens.")})
    survey.full_clean()


def survey_create(*, program, by, **data):
    survey = Survey(program=program, created_by=by)
    for field in SURVEY_FIELDS:
        if field in data:
            setattr(survey, field, data[field])
    _check_survey(survey)
    survey.save()
    return survey


def survey_update(*, survey, **data):
    if survey.responses.exists() and data.get("anonymous", survey.anonymous) != survey.anonymous:
        raise ValidationError(
            {"anonymous": _("Answers exist already: a survey cannot switch to or from anonymous.")}
        )
    for field in SURVEY_FIELDS:
        if field in data:
            setattr(survey, field, data[field])
    _check_survey(survey)
    survey.save()
    return survey


@transaction.atomic
def survey_copy(*, source, program, by, title=None):
    """A new survey in `program` with the questions and options of `source`."""
    copy = Survey.objects.create(
        program=program,
        kind=source.kind,
        title=title or source.title,
        intro=source.intro,
        anonymous=source.anonymous,
        copied_from=source,
        created_by=by,
    )
    for question in source.questions.prefetch_related("choices"):
        new = Question.objects.create(
            survey=copy,
            position=question.position,
            kind=question.kind,
            text=question.text,
            help_text=question.help_text,
            required=question.required,
        )
        Choice.objects.bulk_create(
            Choice(
                question=new,
                position=c.position,
                label=c.label,
                value=c.value,
                is_correct=c.is_correct,
            )
            for c in question.choices.all()
        )
    return copy


@transaction.atomic
def survey_from_definition(*, program, by, definition):
    """Create a survey from a built-in template (surveys/library.py)."""
    survey = survey_create(
        program=program,
        by=by,
        kind=definition["kind"],
        title=str(definition["title"]),
        intro=str(definition.get("intro", "")),
    )
    for question in definition["questions"]:
        question_add(survey=survey, **question)
    return survey


def parse_options(kind, options_text):
    """Option lines for a question; a leading * marks a correct answer.

    Returns [(label, value, is_correct)]. Yes/no and scale questions get
    their fixed options; * may still mark the correct yes/no answer.
    """
    lines = [line.strip() for line in (options_text or "").splitlines() if line.strip()]
    marked = [(line[1:].strip(), True) if line.startswith("*") else (line, False) for line in lines]
    if kind == QuestionKind.YES_NO:
        correct = {label.lower() for label, is_correct in marked if is_correct}
        return [
            (pgettext("answer", "Yes"), "yes", bool(correct & {"ya", "yes"})),
            (pgettext("answer", "No"), "no", bool(correct & {"tidak", "no"})),
        ]
    if kind == QuestionKind.SCALE:
        return [(str(n), str(n), False) for n in range(1, 6)]
    if kind in CHOICE_KINDS:
        if len(marked) < 2:
            raise ValidationError({"options": _("Give at least two options, one per line.")})
        if len(marked) > 30:
            raise ValidationError({"options": _("At most 30 options.")})
        if any(len(label) > 300 for label, _c in marked):
            raise ValidationError({"options": _("An option is at most 300 characters.")})
        if kind == QuestionKind.SINGLE and sum(c for _l, c in marked) > 1:
            raise ValidationError(
                {"options": _("A single-choice question has one correct answer.")}
            )
        return [(label, "", is_correct) for label, is_correct in marked]
    return []


@transaction.atomic
def question_add(*, survey, kind, text, help_text="", required=True, options=""):
    last = survey.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question(
        survey=survey,
        position=last + 1,
        kind=kind,
        text=text,
        help_text=help_text,
        required=required,
    )
    question.full_clean()
    parsed = parse_options(kind, options)
    question.save()
    Choice.objects.bulk_create(
        Choice(question=question, position=i, label=label, value=value, is_correct=correct)
        for i, (label, value, correct) in enumerate(parsed, start=1)
    )
    return question


@transaction.atomic
def question_update(*, question, kind, text, help_text="", required=True, options=""):
    """Change a question. Once answered, only changes that keep every answer's
    meaning are allowed: wording, help, required, correct answers and new options."""
    answered = question.answers.exists()
    if answered and kind != question.kind:
        raise ValidationError(
            {"kind": _("This question has answers; its type cannot change. Add a new question.")}
        )
    parsed = parse_options(kind, options)
    existing = [] if kind != question.kind else list(question.choices.order_by("position", "pk"))
    matched, removed = _match_options(existing, [label for label, _v, _c in parsed])
    if answered and kind in CHOICE_KINDS:
        chosen = sorted(
            Choice.objects.filter(pk__in=[c.pk for c in removed], answers__isnull=False)
            .distinct()
            .values_list("label", flat=True)
        )
        if chosen:
            raise ValidationError(
                {
                    "options": _(
                        "These options were chosen by respondents and cannot be removed: "
                        "%(labels)s."
                    )
                    % {"labels": ", ".join(chosen)}
                }
            )
    question.kind, question.text, question.help_text, question.required = (
        kind,
        text,
        help_text,
        required,
    )
    question.full_clean()
    question.save()
    Choice.objects.filter(question=question).exclude(pk__in=[c.pk for c in matched if c]).delete()
    for position, ((label, value, correct), choice) in enumerate(
        zip(parsed, matched, strict=True), start=1
    ):
        if choice is None:
            Choice.objects.create(
                question=question, position=position, label=label, value=value, is_correct=correct
            )
        else:
            choice.position, choice.label, choice.value, choice.is_correct = (
                position,
                label,
                value,
                correct,
            )
            choice.save()
    return question


def _match_options(existing, labels):
    """Pair new option lines with existing options: same label first, then, in
    order, the rest (a reworded option keeps its answers). Returns the match
    per line (None: a new option) and the existing options left unmatched."""
    free = list(existing)
    matched = [None] * len(labels)
    for i, label in enumerate(labels):
        same = next((c for c in free if c.label == label), None)
        if same is not None:
            matched[i] = same
            free.remove(same)
    for i in range(len(labels)):
        if matched[i] is None and free:
            matched[i] = free.pop(0)
    return matched, free


def question_delete(*, question):
    if question.answers.exists():
        raise ValidationError(_("This question has answers and cannot be deleted."))
    question.delete()


@transaction.atomic
def question_move(*, question, direction):
    move_in_order(question.survey.questions.order_by("position", "pk"), question, direction)


def response_save(
    *,
    survey,
    answers,
    channel,
    participant=None,
    by=None,
    submission_id=None,
    at=None,
    check_open=True,
):
    """Save one respondent's answers: a second submission updates the first.

    `answers` maps each question to its cleaned value: a list of Choice for
    choice questions (yes/no, single, multiple, scale), a Decimal for numbers,
    a string for text; None or empty means unanswered. `at` records when the
    answers were given, for paper forms typed in afterwards.
    `check_open=False`: answers given while the survey was open, confirmed later.
    Returns (response, created).
    """
    if check_open and not survey.is_open():
        raise ValidationError(_("This survey is closed."), code="closed")
    if survey.anonymous:
        participant = None
    elif participant is None:
        raise ValidationError(_("Say who is answering."), code="no_participant")
    submission_id = submission_id or uuid.uuid4()
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _response_write(survey, answers, channel, participant, by, submission_id, at)
        except IntegrityError:
            # A double tap raced this one to the insert: the next try updates it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _response_write(survey, answers, channel, participant, by, submission_id, at=None):
    now = at or timezone.now()
    existing = (
        Response.objects.select_for_update()
        .filter(
            survey=survey,
            **({"participant": participant} if participant else {"submission_id": submission_id}),
        )
        .first()
    )
    created = existing is None
    if created:
        response = Response.objects.create(
            survey=survey,
            participant=participant,
            channel=channel,
            entered_by=by,
            submission_id=submission_id,
            submitted_at=now,
            updated_at=now,
        )
    else:
        response = existing
        response.channel, response.entered_by, response.updated_at = channel, by, now
        response.save(update_fields=["channel", "entered_by", "updated_at"])
        response.answers.all().delete()
    through = Answer.choices.through
    links = []
    for question, value in answers.items():
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            answer = Answer.objects.create(response=response, question=question)
            links.extend(through(answer_id=answer.pk, choice_id=c.pk) for c in value)
        elif isinstance(value, Decimal):
            Answer.objects.create(response=response, question=question, number=value)
        else:
            Answer.objects.create(response=response, question=question, text=value)
    through.objects.bulk_create(links)
    return response, created


ASSISTED = ResponseChannel.ASSISTED
SELF = ResponseChannel.SELF


def _answers_json(answers):
    stored = {}
    for question, value in answers.items():
        if isinstance(value, (list, tuple)):
            value = [choice.pk for choice in value]
        elif value is not None:
            value = str(value)
        stored[str(question.pk)] = value
    return stored


def _submit_or_hold(*, survey, phone, found, answers, submission_id):
    # A household's phone does not say which of them answered: a facilitator decides.
    participant = found[0] if len(found) == 1 else None
    earlier = survey.responses.filter(participant=participant).first() if participant else None
    same_submission = (
        earlier is not None and submission_id and earlier.submission_id == submission_id
    )
    if participant is not None and (earlier is None or same_submission):
        response_save(
            survey=survey,
            participant=participant,
            channel=SELF,
            answers=answers,
            submission_id=submission_id,
        )
        return "saved"
    if not survey.is_open():
        raise ValidationError(_("This survey is closed."), code="closed")
    if len(found) > 1:
        reason = HeldReason.SHARED_PHONE
    elif participant is None:
        reason = HeldReason.UNKNOWN_PHONE
    else:
        reason = HeldReason.WOULD_REPLACE
    HeldResponse.objects.create(
        survey=survey,
        phone=phone,
        participant=participant,
        reason=reason,
        answers=_answers_json(answers),
    )
    return reason


def public_response_submit(*, survey, phone, answers, submission_id=None):
    """A response from the shared public link, identified only by a typed phone.

    Saved straight away only when the phone is actively enrolled and has not
    answered yet; otherwise held for a facilitator (HeldResponse). The caller
    answers the same page in every case. Returns "saved" or the held reason."""
    from surveys.selectors import respondents_by_phone

    found = respondents_by_phone(survey, phone)
    return _submit_or_hold(
        survey=survey, phone=phone, found=found, answers=answers, submission_id=submission_id
    )


def personal_response_submit(*, survey, participant, answers, submission_id=None):
    """A response through a participant's personal link: saved if she has not
    answered yet, otherwise held for a facilitator like any replacement."""
    return _submit_or_hold(
        survey=survey,
        phone=participant.phone,
        found=[participant],
        answers=answers,
        submission_id=submission_id,
    )


def held_answers(held, questions):
    """The held JSON answers as `response_save` takes them, for `questions`
    (with their choices prefetched); questions or options removed since are skipped."""
    by_pk = {question.pk: question for question in questions}
    answers = {}
    for key, value in (held.answers or {}).items():
        question = by_pk.get(int(key)) if str(key).isdigit() else None
        if question is None or value in (None, "", []):
            continue
        if isinstance(value, list):
            choices = {choice.pk: choice for choice in question.choices.all()}
            answers[question] = [choices[pk] for pk in value if pk in choices]
        elif question.kind == QuestionKind.NUMBER:
            answers[question] = Decimal(value)
        else:
            answers[question] = str(value)
    return answers


def _held_log(*, held, by, what, participant=None):
    audit_logger.info(
        "held_response %s held=%s survey=%s participant=%s by=%s",
        what,
        held.pk,
        held.survey_id,
        participant.pk if participant else None,
        by.pk,
    )
    audit_record(
        by=by,
        action=AuditAction.CORRECTION,
        program=held.survey.program,
        detail=f"held answers {what}: {held.survey.title}",
        people=1 if participant else 0,
    )


@transaction.atomic
def held_response_confirm(*, held, by, participant=None):
    """Store the held answers as the response of `participant` (for a held
    replacement: the one it names), replacing any earlier one; the held copy goes."""
    participant = participant or held.participant
    if participant is None:
        raise ValidationError(_("Choose the participant who gave these answers."))
    survey = held.survey
    if not survey.program.enrollments.filter(participant=participant, status="active").exists():
        raise ValidationError(_("This participant is not enrolled in the program."))
    questions = survey.questions.prefetch_related("choices")
    response_save(
        survey=survey,
        participant=participant,
        channel=SELF,
        answers=held_answers(held, questions),
        at=held.submitted_at,
        check_open=False,
    )
    _held_log(
        held=held,
        by=by,
        what="confirmed" if participant == held.participant else "matched",
        participant=participant,
    )
    held.delete()


def held_response_match(*, held, participant, by):
    """An unknown or shared phone's answers given to the enrolled participant who sent them."""
    return held_response_confirm(held=held, by=by, participant=participant)


@transaction.atomic
def held_response_discard(*, held, by):
    _held_log(held=held, by=by, what="discarded")
    held.delete()
