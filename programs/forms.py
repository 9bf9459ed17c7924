from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pkk_training.forms import date_widget
from programs.enums import MembershipRole
from programs.models import Program
from programs.services import PROGRAM_FIELDS


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        # The form edits exactly what the service writes.
        fields = ["organization", *PROGRAM_FIELDS]
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


class MemberAddForm(forms.Form):
    user = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        help_text=_(
            "The person needs an account that already works in this organization; "
            "an admin creates accounts and adds people from elsewhere."
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)

    def __init__(self, *args, candidates, **kwargs):
        """`candidates`: the accounts this user may add (an admin: all active ones)."""
        super().__init__(*args, **kwargs)
        self.candidates = candidates

    def clean_user(self):
        value = self.cleaned_data["user"].strip()
        users = self.candidates.filter(Q(username__iexact=value) | Q(email__iexact=value))
        found = list(users[:2])
        if len(found) != 1:
            # The same answer whether the account exists elsewhere or nowhere.
            raise forms.ValidationError(
                _("No single account of this organization has this username or e-mail.")
            )
        return found[0]
