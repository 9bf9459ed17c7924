from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pkk_training.forms import date_widget
from programs import regions
from programs.enums import MembershipRole
from programs.models import Program
from programs.services import PROGRAM_FIELDS, REGION_FIELDS

REGION_CODE_FIELDS = [field for field, _name in REGION_FIELDS]


def region_codes(values):
    """The four codes from a form's data, each kept only if it lies in the one above."""
    codes, parent = {}, ""
    for field in REGION_CODE_FIELDS:
        code = values.get(field) or ""
        if not isinstance(code, str) or not regions.CODE_RE.match(code):
            code = ""
        if code and (regions.level_of(code) != len(codes) or not code.startswith(parent)):
            code = ""
        if code and regions.region(code) is None:
            code = ""
        codes[field] = code
        parent = code + "." if code else None
        if parent is None:
            # Nothing below an empty level.
            for rest in REGION_CODE_FIELDS[len(codes) :]:
                codes[rest] = ""
            break
    return codes


def region_levels(codes, errors=None):
    """What the location fieldset shows: per level its label, options and choice."""
    errors = errors or {}
    labels = [Program._meta.get_field(name).verbose_name for _field, name in REGION_FIELDS]
    levels, parent = [], ""
    for field, label in zip(REGION_CODE_FIELDS, labels, strict=True):
        options = regions.children(parent) if parent is not None else []
        value = codes.get(field, "")
        levels.append(
            {
                "field": field,
                "label": label,
                "options": options,
                "value": value,
                "errors": errors.get(field, []),
            }
        )
        parent = value or None
    return levels


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
        for field in REGION_CODE_FIELDS:
            self.fields[field].required = True
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


def program_form_region(form):
    """The location fieldset of a program form, bound or not."""
    if form.is_bound:
        codes = region_codes(form.data)
    else:
        codes = region_codes({f: getattr(form.instance, f) for f in REGION_CODE_FIELDS})
    instance = form.instance
    typed = ""
    if instance.pk and instance.location_unmatched:
        typed = ", ".join(
            p
            for p in (instance.village, instance.district, instance.regency, instance.province)
            if p
        )
    return {"levels": region_levels(codes, form.errors), "typed": typed}
