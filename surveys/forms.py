from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from participants.validators import normalize_phone
from surveys.enums import QuestionKind
from surveys.models import Question, Survey


class DateTimeWidget(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["kind", "title", "intro", "opens_at", "closes_at", "anonymous", "baseline"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "opens_at": DateTimeWidget(),
            "closes_at": DateTimeWidget(),
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline"].queryset = program.surveys.filter(kind="pre_test").exclude(
            pk=self.instance.pk
        )


class NewSurveyForm(forms.Form):
    """Start empty, from a built-in template, or from a survey of another program."""

    start = forms.ChoiceField(label=_("Start from"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = choices


class QuestionForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For single and multiple choice: one option per line. Start a line with * to "
            "mark a correct answer (a knowledge test is then scored). Once answered, change "
            "wording in place and add new options at the end."
        ),
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "help_text", "required"]


class RespondentForm(forms.Form):
    phone = forms.CharField(
        label=_("Your phone number (the one you registered with)"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])


def _field_for(question):
    """The form field for one question; choices are Choice objects."""
    common = {
        "label": question.text,
        "required": question.required,
        # Escaped here too: Django's and crispy's field templates print help_text |safe.
        "help_text": escape(question.help_text),
        "error_messages": {"required": _("Please answer this question.")},
    }
    choices = list(question.choices.all())
    if question.kind in (QuestionKind.YES_NO, QuestionKind.SINGLE, QuestionKind.SCALE):
        return forms.TypedChoiceField(
            choices=[(str(c.pk), c.label) for c in choices],
            widget=forms.RadioSelect,
            coerce=lambda pk, by_pk={str(c.pk): c for c in choices}: [by_pk[pk]],
            empty_value=[],
            **common,
        )
    if question.kind == QuestionKind.MULTIPLE:
        by_pk = {str(c.pk): c for c in choices}
        return forms.TypedMultipleChoiceField(
            choices=[(str(c.pk), c.label) for c in choices],
            widget=forms.CheckboxSelectMultiple,
            coerce=lambda pk: by_pk[pk],
            **common,
        )
    if question.kind == QuestionKind.NUMBER:
        return forms.DecimalField(
            max_digits=12,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    if question.kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=300, **common)
    return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)


class AnswersForm(forms.Form):
    """All of a survey's questions; cleaned data maps Question → value for response_save."""

    submission_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, questions, response=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = _field_for(question)
        if response is not None and not self.is_bound:
            self.initial.update(_initial_from(response))

    def answers(self):
        return {q: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


def _initial_from(response):
    initial = {}
    for answer in response.answers.all():
        key = f"q{answer.question_id}"
        picked = [str(c.pk) for c in answer.choices.all()]
        if answer.question.kind == QuestionKind.MULTIPLE:
            initial[key] = picked
        elif picked:
            initial[key] = picked[0]
        elif answer.number is not None:
            initial[key] = answer.number
        else:
            initial[key] = answer.text
    return initial


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class HeldReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("confirm", _("Confirm")),
            ("match", _("Give to participant")),
            ("discard", _("Discard")),
        ]
    )
    participant = ParticipantChoiceField(
        queryset=None, required=False, label=_("Participant who answered")
    )

    def __init__(self, *args, program, **kwargs):
        from participants.models import Participant

        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(
            enrollments__program=program, enrollments__status="active"
        ).order_by("full_name", "pk")

    def clean(self):
        data = super().clean()
        if data.get("action") == "match" and not data.get("participant"):
            raise forms.ValidationError(_("Choose the participant who gave these answers."))
        return data
