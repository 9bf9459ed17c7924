import datetime as dt

from django import forms

from participants.forms import ParticipantForm
from pkk_training.forms import date_widget, time_widget
from sessions.enums import AttendanceStatus
from sessions.models import TrainingSession
from sessions.roll_markup import MOVE


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


MAX_EPOCH_MS = 10**13  # the year 2286


class TapTimeForm(forms.Form):
    # Milliseconds since 1970 by the phone's clock: when the tap was made and
    # when this request left the phone (an outbox may send it hours later).
    tapped_at = forms.IntegerField(required=False, min_value=0, max_value=MAX_EPOCH_MS)
    sent_at = forms.IntegerField(required=False, min_value=0, max_value=MAX_EPOCH_MS)

    def tap_time(self, now):
        """When the tap was made, on the server's clock; None when the phone did not say.

        A phone's clock may be hours off, but the tap's age measured on that
        clock (sent − tapped) is right, so the age is taken from the server's now.
        """
        if not self.is_valid():
            return None
        tapped, sent = self.cleaned_data["tapped_at"], self.cleaned_data["sent_at"]
        if tapped is None:
            return None
        if sent is None:
            return dt.datetime.fromtimestamp(tapped / 1000, tz=dt.UTC)
        return now - dt.timedelta(milliseconds=max(sent - tapped, 0))


class MarkForm(TapTimeForm):
    participant = forms.UUIDField()
    status = forms.ChoiceField(choices=[("", "")] + AttendanceStatus.choices, required=False)
    mark_id = forms.UUIDField(required=False)
    # Confirmed on the phone: she was enrolled later, move her enrolment to the session's day.
    move_enrollment = forms.BooleanField(required=False)

    def __init__(self, data=None, *args, **kwargs):
        # The roll's list-wide form, posted without JavaScript, names only the
        # button tapped: mark=<participant>:<status>[:move] (sessions/roll_markup.py).
        if data is not None and "mark" in data and "participant" not in data:
            participant, _, rest = data["mark"].partition(":")
            status, _, move = rest.partition(":")
            data = data.copy()
            data["participant"], data["status"] = participant, status
            if move == MOVE:
                data["move_enrollment"] = "1"
        super().__init__(data, *args, **kwargs)


class WalkInForm(ParticipantForm):
    """The few fields a facilitator can ask for at the door."""

    class Meta(ParticipantForm.Meta):
        fields = ["full_name", "phone", "dusun", "rt", "rw", "consent_method"]
