from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ConfirmImportForm, ImportForm

from participants.enums import ConsentMethod
from participants.models import Enrollment, Participant, ParticipantImport
from participants.resources import ParticipantResource
from participants.spreadsheets import check_size, check_upload
from participants.validators import mask_nik
from programs.models import Program


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    fields = ["program", "status", "source", "enrolled_on"]
    autocomplete_fields = ["program"]


class ParticipantImportForm(ImportForm):
    program = forms.ModelChoiceField(queryset=Program.objects.all(), label=_("Program"))
    consent_method = forms.ChoiceField(
        choices=ConsentMethod.choices, label=_("How these participants gave consent")
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        check_size(upload.size)  # before the upload is read into memory
        content = upload.read()
        upload.seek(0)
        check_upload(content, upload.name)  # size and zip bombs, before any parser
        return upload


class ParticipantConfirmImportForm(ConfirmImportForm):
    program = forms.ModelChoiceField(queryset=Program.objects.all(), widget=forms.HiddenInput)
    consent_method = forms.ChoiceField(choices=ConsentMethod.choices, widget=forms.HiddenInput)


@admin.register(Participant)
class ParticipantAdmin(ImportMixin, admin.ModelAdmin):
    """Admins are the only role that sees a whole NIK (UU PDP: least access).

    The admin import uses the same resource as the in-app import page and the
    import_participants command.
    """

    resource_classes = [ParticipantResource]
    import_form_class = ParticipantImportForm
    confirm_form_class = ParticipantConfirmImportForm
    import_formats = [CSV, XLSX]

    list_display = ["full_name", "organization", "phone", "masked_nik", "village", "consent_method"]
    list_filter = ["organization", "consent_method", "village"]
    search_fields = ["full_name", "phone", "nik"]
    readonly_fields = ["id", "consent_at", "consent_recorded_by", "created_at", "updated_at"]
    inlines = [EnrollmentInline]
    list_select_related = ["organization"]

    @admin.display(description=_("NIK"))
    def masked_nik(self, participant):
        return mask_nik(participant.nik)

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        data = getattr(form, "cleaned_data", {}) if form is not None else {}
        if data.get("program"):
            resource_kwargs.update(
                program=data["program"], consent_method=data["consent_method"], by=request.user
            )
        return resource_kwargs

    def get_import_data_kwargs(self, **kwargs):
        # Any invalid row means nothing is written, as on the in-app page.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial.update(
                program=import_form.cleaned_data["program"].pk,
                consent_method=import_form.cleaned_data["consent_method"],
            )
        return initial


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["participant", "program", "status", "source", "enrolled_on"]
    list_filter = ["status", "source", "program__organization", "program"]
    search_fields = ["participant__full_name", "participant__phone", "program__name"]
    autocomplete_fields = ["participant", "program"]
    list_select_related = ["participant", "program"]


@admin.register(ParticipantImport)
class ParticipantImportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "program",
        "imported_by",
        "imported_at",
        "new",
        "updated",
        "unchanged",
        "skipped",
    ]
    list_filter = ["program__organization", "consent_method"]
    search_fields = ["file_name", "program__name"]
    list_select_related = ["program", "imported_by"]

    def has_add_permission(self, request):
        return False  # the history is written by imports only
