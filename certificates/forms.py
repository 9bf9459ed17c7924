from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certificates.models import CertificateSettings
from certificates.numbers import number_format_check
from certificates.services import SETTINGS_FIELDS
from checklists.models import ChecklistTemplate
from surveys.models import Survey


class CertificateSettingsForm(forms.ModelForm):
    class Meta:
        model = CertificateSettings
        fields = list(SETTINGS_FIELDS)  # exactly what the service saves

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = ChecklistTemplate.objects.filter(
            Q(organization_id=program.organization_id) | Q(organization__isnull=True)
        )
        self.fields["post_test"].queryset = Survey.objects.filter(program=program)
        self.fields["min_score"].max_value = 100
        self.fields["program_code"].help_text = _("Empty: the program's short address.")

    def clean_number_format(self):
        value = self.cleaned_data["number_format"]
        number_format_check(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("min_score") is not None and not cleaned.get("post_test"):
            self.add_error("post_test", _("Choose the post-test the score is taken from."))
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CardCodeForm(forms.Form):
    code = forms.CharField(max_length=64)
    mark_id = forms.UUIDField(required=False)
