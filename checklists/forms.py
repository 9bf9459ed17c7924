from django import forms
from django.utils.translation import gettext_lazy as _

from checklists.enums import ContactChannel, StepState
from checklists.models import BlockerReason, ChecklistStep, ChecklistTemplate, MentoringContact
from pkk_training.forms import MAX_ID, QueryForm, date_widget


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["organization", "name", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
            self.fields["organization"].required = True
            self.fields["organization"].empty_label = None
        self.fields["position"].required = False  # empty: keep it (100 for a new one)

    def clean_position(self):
        position = self.cleaned_data["position"]
        return self.instance.position if position is None else position


class CopyForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Copy into"), empty_label=None)
    name = forms.CharField(label=_("Name of the copy"), max_length=200, required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class StepForm(forms.ModelForm):
    class Meta:
        model = ChecklistStep
        fields = ["title", "how_to", "required"]
        widgets = {"how_to": forms.Textarea(attrs={"rows": 4})}


class ReasonForm(forms.ModelForm):
    class Meta:
        model = BlockerReason
        fields = ["label", "needs_note"]


class ProgressMarkForm(forms.Form):
    state = forms.ChoiceField(choices=StepState.choices)
    reason = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    note = forms.CharField(required=False, max_length=500)
    # A version no row can have is junk, not someone else's newer mark.
    version = forms.IntegerField(min_value=0, max_value=MAX_ID, required=False)
    mark_id = forms.UUIDField(required=False)


class AssignForm(forms.Form):
    template = forms.ModelChoiceField(queryset=None, label=_("Checklist"), empty_label=None)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class MentoringForm(forms.ModelForm):
    OPEN, RESOLVED, RESOLVED_DONE = "open", "resolved", "resolved_done"
    # One control says how it ended (two checkboxes overlapped: "resolved" and "mark done").
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (OPEN, _("Not solved yet")),
            (RESOLVED, _("Solved")),
            (RESOLVED_DONE, _("Solved: mark the step done")),
        ],
        initial=OPEN,
        required=False,  # nothing chosen: not solved yet
        widget=forms.RadioSelect,
    )

    class Meta:
        model = MentoringContact
        fields = ["date", "channel", "step", "action"]
        widgets = {"date": date_widget(), "action": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = steps
        self.fields["step"].label_from_instance = lambda s: (
            f"{s.template.name}: {s.position}. {s.title}"
        )
        self.fields["channel"].choices = ContactChannel.choices

    def clean(self):
        data = super().clean()
        outcome = data.pop("outcome", None) or self.OPEN
        if outcome == self.RESOLVED_DONE and not data.get("step"):
            self.add_error("outcome", _("To mark a step done, choose the step."))
        data["resolved"] = outcome in (self.RESOLVED, self.RESOLVED_DONE)
        data["mark_done"] = outcome == self.RESOLVED_DONE
        return data


class ChecklistGridFilterForm(QueryForm):
    stuck_at = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    reason = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
