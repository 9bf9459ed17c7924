from django import forms

from participants.forms import ParticipantForm
from pkk_training.forms import date_widget, time_widget
from sessions.enums import AttendanceStatus
from sessions.models import TrainingSession


class TrainingSessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "phase",
            "title",
            "date",
            "start_time",
            "end_time",
            "venue",
            "facilitators",
            "notes",
        ]
        widgets = {
            "date": date_widget(),
            "start_time": time_widget(),
            "end_time": time_widget(),
            "facilitators": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = staff
        self.fields["facilitators"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


class MarkForm(forms.Form):
    participant = forms.UUIDField()
    status = forms.ChoiceField(choices=[("", "")] + AttendanceStatus.choices, required=False)
    mark_id = forms.UUIDField(required=False)
    # Confirmed on the phone: she was enrolled later, move her enrolment to the session's day.
    move_enrollment = forms.BooleanField(required=False)


class WalkInForm(ParticipantForm):
    """The few fields a facilitator can ask for at the door."""

    class Meta(ParticipantForm.Meta):
        fields = ["full_name", "phone", "dusun", "rt", "rw", "consent_method"]
