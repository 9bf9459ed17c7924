"""What surveys holds on one participant: her answers and held answers, for
"Data saya"; and how an erasure removes what she wrote."""

from django.utils.translation import gettext_lazy as _

from participants.hooks import DataSection
from surveys.enums import TEXT_KINDS
from surveys.models import Answer, HeldResponse


def _value(answer):
    if answer.text:
        return answer.text
    if answer.number is not None:
        return str(answer.number)
    return ", ".join(choice.label for choice in answer.choices.all())


def collect(participant):
    answers = (
        Answer.objects.filter(response__participant=participant)
        .select_related("response__survey__program", "question")
        .prefetch_related("choices")
        .order_by("response__submitted_at", "question__position", "pk")
    )
    held = (
        HeldResponse.objects.filter(participant=participant)
        .select_related("survey")
        .order_by("submitted_at", "pk")
    )
    return [
        DataSection(
            "survey_answers",
            _("Survey answers"),
            (
                ("program", _("Program")),
                ("survey", _("Survey")),
                ("question", _("Question")),
                ("answer", _("Answer")),
                ("submitted_at", _("Submitted")),
            ),
            [
                {
                    "program": a.response.survey.program.name,
                    "survey": a.response.survey.title,
                    "question": a.question.text,
                    "answer": _value(a),
                    "submitted_at": a.response.submitted_at,
                }
                for a in answers
            ],
        ),
        DataSection(
            "held_survey_answers",
            _("Survey answers waiting for a check"),
            (
                ("survey", _("Survey")),
                ("reason", _("Reason")),
                ("phone", _("Phone number")),
                ("submitted_at", _("Submitted")),
            ),
            [
                {
                    "survey": h.survey.title,
                    "reason": h.get_reason_display(),
                    "phone": h.phone,
                    "submitted_at": h.submitted_at,
                }
                for h in held
            ],
        ),
    ]


def erase(participant):
    """Her written answers are blanked (choices and numbers stay for the
    counts); answers held for a check, hers or from her phone, are deleted."""
    Answer.objects.filter(response__participant=participant, question__kind__in=TEXT_KINDS).update(
        text=""
    )
    HeldResponse.objects.filter(participant=participant).delete()
    if participant.phone:
        HeldResponse.objects.filter(
            survey__program__organization_id=participant.organization_id,
            phone=participant.phone,
        ).delete()
