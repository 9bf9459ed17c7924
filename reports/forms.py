from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checklists.models import ChecklistStep
from checklists.selectors import templates_for_program
from pkk_training.forms import MAX_ID, QueryForm
from reports.models import Indicator, ReportSettings, Signatory
from reports.services import SETTINGS_FIELDS
from surveys.models import Choice, Question


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "label",
            "success_phrase",
            "failure_phrase",
            "source",
            "question",
            "success_choices",
            "templates",
            "step",
            "session",
            "min_sessions",
            "population",
            "population_session",
            "population_survey",
            "reason_source",
            "reason_question",
            "twin",
        ]
        widgets = {
            "success_choices": forms.CheckboxSelectMultiple,
            "templates": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        questions = Question.objects.filter(survey__program=program).select_related("survey")
        self.fields["question"].queryset = questions
        self.fields["reason_question"].queryset = questions
        for name in ("question", "reason_question"):
            self.fields[name].label_from_instance = lambda q: f"{q.survey.title}: {q.text}"
        self.fields["success_choices"].queryset = Choice.objects.filter(
            question__survey__program=program
        ).select_related("question")
        self.fields["success_choices"].label_from_instance = lambda c: (
            f"{c.question.text[:60]} → {c.label}"
        )
        templates = templates_for_program(program)
        self.fields["templates"].queryset = templates
        self.fields["step"].queryset = ChecklistStep.objects.filter(
            template__in=templates, archived_at__isnull=True
        ).select_related("template")
        self.fields["step"].label_from_instance = lambda s: (
            f"{s.template.name}: {s.position}. {s.title}"
        )
        sessions = program.sessions.order_by("date", "pk")
        self.fields["session"].queryset = sessions
        self.fields["population_session"].queryset = sessions
        self.fields["population_survey"].queryset = program.surveys.all()
        others = program.indicators.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["twin"].queryset = others


class CopyIndicatorsForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=None, label=_("Copy the indicators of"), empty_label=None
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = programs


class ReportQueryForm(QueryForm):
    annex = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("0", "0"), ("1", "1")],
        error_messages={"invalid_choice": _("Use 1 (with the annex) or 0.")},
    )


class RollupFilterForm(QueryForm):
    year = forms.IntegerField(required=False, min_value=1900, max_value=2999)
    regency = forms.RegexField(
        required=False,
        regex=r"^[0-9]{2}\.[0-9]{2}$",
        error_messages={"invalid": _("A regency is chosen by its code, e.g. 18.08.")},
    )
    district = forms.RegexField(
        required=False,
        regex=r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$",
        error_messages={"invalid": _("A district is chosen by its code, e.g. 18.08.02.")},
    )
    template = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    sort = forms.RegexField(
        required=False,
        regex=r"^-?(name|enrolled|attendance|i[0-9]{1,3})$",
        error_messages={"invalid": _("Sort by name, enrolled, attendance or an indicator.")},
    )


class AsOfForm(forms.Form):
    """The day a report's figures are taken at; empty means now."""

    as_of = forms.DateField(
        label=_("Data as of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of and as_of > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return as_of


def as_of_from(query):
    """(form, date or None) from a GET query; a bad date is reported, not used."""
    form = AsOfForm(query if query.get("as_of") else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["as_of"]
    return form, None


IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


class ReportSettingsForm(forms.ModelForm):
    logo = forms.FileField(
        label=_("Letterhead: logo"),
        required=False,
        help_text=_("JPEG or PNG; printed at the top of page 1. Location data is removed."),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    logo_clear = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = ReportSettings
        fields = list(SETTINGS_FIELDS)  # exactly what the service saves
        widgets = {
            "letterhead_lines": forms.Textarea(attrs={"rows": 3}),
            "report_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "conclusions": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.Textarea(attrs={"rows": 5}),
        }


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("Resized for the report; camera and location data (EXIF/GPS) are removed."),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class PhotoCaptionForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class SignatoryForm(forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["heading", "role", "name", "nip"]


class IssueForm(AsOfForm):
    """The day an issued version's figures are taken at; empty means today."""
