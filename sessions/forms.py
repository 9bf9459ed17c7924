from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.forms import ParticipantForm
from pkk_training.forms import date_widget, time_widget
from sessions.enums import AttendanceStatus, MembershipRole
from sessions.models import Program, TrainingSession


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "organization",
            "name",
            "slug",
            "description",
            "village",
            "district",
            "regency",
            "province",
            "start_date",
            "end_date",
            "status",
        ]
        widgets = {
            "start_date": date_widget(),
            "end_date": date_widget(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Moving a program to another organization would move its people's data.
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
            if organizations is not None and len(organizations) == 1:
                self.fields["organization"].initial = organizations[0]


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


class MemberAddForm(forms.Form):
    user = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        help_text=_("The person needs an account; an admin creates accounts."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)

    def clean_user(self):
        value = self.cleaned_data["user"].strip()
        users = get_user_model().objects.filter(
            Q(username__iexact=value) | Q(email__iexact=value), is_active=True
        )
        found = list(users[:2])
        if len(found) != 1:
            raise forms.ValidationError(_("No single active account has this username or e-mail."))
        return found[0]


class MarkForm(forms.Form):
    participant = forms.UUIDField()
    status = forms.ChoiceField(choices=[("", "")] + AttendanceStatus.choices, required=False)
    mark_id = forms.UUIDField(required=False)


class WalkInForm(ParticipantForm):
    """The few fields a facilitator can ask for at the door."""

    class Meta(ParticipantForm.Meta):
        fields = ["full_name", "phone", "dusun", "rt", "rw", "consent_method"]
