from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants import hooks
from participants.enums import ConsentMethod
from participants.models import Enrollment, Participant
from participants.spreadsheets import check_size
from participants.validators import clean_text, mask_nik, normalize_nik, normalize_phone
from pkk_training.forms import PageForm, date_widget


class ParticipantForm(forms.ModelForm):
    consent_method = forms.ChoiceField(
        label=_("How the participant gave consent to data processing"),
        # No choice is made for her: an empty first option, so the form proves a choice.
        choices=[("", _("— choose —")), *ConsentMethod.choices],
        help_text=_("Required by UU PDP 27/2022: no one is enrolled without consent."),
        error_messages={
            "required": _("Choose how she gave consent; without it she cannot be enrolled.")
        },
    )
    phone = forms.CharField(
        label=_("Phone number (WhatsApp)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("For example 0812 3456 7890."),
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Optional: 16 digits from the KTP."),
    )

    shared_phone = forms.BooleanField(
        label=_("Shared phone: she is another person of a household that uses this number"),
        required=False,
        widget=forms.HiddenInput,  # offered as a checkbox once the phone is found in use
    )

    class Meta:
        model = Participant
        fields = [
            "full_name",
            "phone",
            "nik",
            "birth_year",
            "dusun",
            "rt",
            "rw",
            "address",
            "village",
            "consent_method",
        ]
        widgets = {"birth_year": forms.NumberInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args, can_see_nik, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        if program is not None:
            for extension in hooks.enrollment_extensions:
                extension.add_fields(self, program)
        self.hides_nik = bool(self.instance.nik) and not can_see_nik
        if self.hides_nik:
            # Only admins see a whole NIK; others may replace it, never read it.
            self.initial["nik"] = ""
            self.fields["nik"].help_text = _(
                "Stored as %(masked)s. Leave empty to keep it, or type a new NIK to replace it."
            ) % {"masked": mask_nik(self.instance.nik)}
        if self.instance.consent_method:
            self.fields["consent_method"].initial = self.instance.consent_method

    def participant_data(self):
        """The cleaned values of the participant's own fields (not the extensions'),
        and whether a shared household phone was confirmed."""
        return {
            **{
                name: self.cleaned_data[name]
                for name in self._meta.fields
                if name in self.cleaned_data
            },
            "shared_phone": self.cleaned_data.get("shared_phone", False),
        }

    def add_error(self, field, error):
        super().add_error(field, error)
        if field == "phone" and any(
            e.code == "shared_phone" for e in self.errors.as_data().get("phone", [])
        ):
            self.offer_shared_phone()

    def offer_shared_phone(self):
        """Show the "shared phone" checkbox, right under the phone number."""
        self.fields["shared_phone"].widget = forms.CheckboxInput()
        order = list(self.fields)
        order.remove("shared_phone")
        order.insert(order.index("phone") + 1, "shared_phone")
        self.order_fields(order)

    def save_extensions(self, enrollment, by):
        for extension in hooks.enrollment_extensions:
            extension.save(enrollment, self.cleaned_data, by)

    def clean_full_name(self):
        name = clean_text(self.cleaned_data["full_name"])
        if not name:
            raise forms.ValidationError(_("Enter the participant's name."))
        return name

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_nik(self):
        nik = normalize_nik(self.cleaned_data["nik"])
        if not nik and self.hides_nik:
            return self.instance.nik
        return nik

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Enter a birth year between 1900 and this year."))
        return year


class EnrollmentForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ["status", "enrolled_on"]
        widgets = {"enrolled_on": date_widget()}
        help_texts = {
            "enrolled_on": _(
                "She counts for sessions on or after this date. A change is kept in the history."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolled_on"].required = False  # empty: unchanged


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .ods or .csv)"),
        help_text=_(
            "At most 5 MB. Columns: Nama, No HP, NIK, Dusun, RT, RW, Alamat, Tahun Lahir, Jalur."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.ods,.csv"}),
    )
    consent_method = forms.ChoiceField(
        label=_("How these participants gave consent to data processing"),
        choices=ConsentMethod.choices,
    )
    consent_note = forms.CharField(
        label=_("Where the consent is kept (optional)"),
        max_length=255,
        required=False,
        help_text=_("For example: the signed PKK registration forms, kept by the PKK chair."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_size(upload.size)  # before the upload is read into memory
        return upload


class ParticipantSearchForm(PageForm):
    q = forms.CharField(required=False, max_length=100, strip=True)
