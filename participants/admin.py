from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats.base_formats import Format
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult

from participants.enums import ConsentMethod
from participants.models import Enrollment, Participant, ParticipantImport
from participants.resources import ParticipantResource
from participants.services import enrollments_create, enrollments_withdraw
from participants.spreadsheets import check_size, check_upload, read_table, to_dataset
from participants.validators import mask_nik, normalize_phone
from programs.models import Program
from programs.selectors import programs_managed_by


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    fields = ["program", "status", "source", "enrolled_on"]
    autocomplete_fields = ["program"]


class _VillageFormat(Format):
    """A file format for django-import-export read by the import's own reader,
    so that the admin reads what the in-app page reads, with the same caps."""

    extension = ""

    def __init__(self, encoding=None):
        self.encoding = encoding

    def create_dataset(self, in_stream):
        # Read here so that a broken file is said on the form; the resource then
        # hands the file itself to the import service, which reads it as the app does.
        content = bytes(in_stream)
        dataset = to_dataset(read_table(content, f"file.{self.extension}"))
        dataset.content = content
        return dataset

    def is_binary(self):
        return True  # bytes in: the reader finds the encoding itself

    def get_read_mode(self):
        return "rb"

    def get_title(self):
        return self.extension

    def get_extension(self):
        return self.extension

    def get_content_type(self):
        return "application/octet-stream"

    def can_import(self):
        return True

    def can_export(self):
        return False


class VillageCSV(_VillageFormat):
    extension = "csv"


class VillageXLSX(_VillageFormat):
    extension = "xlsx"


class VillageODS(_VillageFormat):
    extension = "ods"


class ParticipantImportForm(ImportForm):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label=_("Program"))
    consent_method = forms.ChoiceField(
        choices=ConsentMethod.choices, label=_("How these participants gave consent")
    )
    consent_note = forms.CharField(
        label=_("Where the consent is kept (optional)"), max_length=255, required=False
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        check_size(upload.size)  # before the upload is read into memory
        content = upload.read()
        upload.seek(0)
        check_upload(content, upload.name)  # size and zip bombs, before any parser
        return upload


class ParticipantConfirmImportForm(ConfirmImportForm):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), widget=forms.HiddenInput)
    consent_method = forms.ChoiceField(choices=ConsentMethod.choices, widget=forms.HiddenInput)
    consent_note = forms.CharField(max_length=255, required=False, widget=forms.HiddenInput)


class ChooseProgramForm(forms.Form):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label=_("Program"))

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


@admin.register(Participant)
class ParticipantAdmin(ImportMixin, admin.ModelAdmin):
    """Admins are the only role that sees a whole NIK (UU PDP: least access).

    The admin import goes through the same service as the in-app import page
    and the import_participants command (see participants/resources.py).
    """

    # Not /tmp: a folder of its own that purge_personal_data empties.
    tmp_storage_class = "participants.tmp_storage.ImportTempStorage"
    # An import is recorded as on the app's page: its history (with undo) and
    # the audit log; no LogEntry per row (the engine writes rows, not instances).
    skip_admin_log = True

    resource_classes = [ParticipantResource]
    import_form_class = ParticipantImportForm
    confirm_form_class = ParticipantConfirmImportForm
    import_formats = [VillageCSV, VillageXLSX, VillageODS]

    list_display = ["full_name", "organization", "phone", "masked_nik", "village", "consent_method"]
    list_filter = [
        "organization",
        ("enrollments__program", admin.RelatedOnlyFieldListFilter),
        "consent_method",
        "village",
    ]
    search_fields = ["full_name", "phone"]  # and a whole NIK, by its hash (below)
    actions = ["add_to_program", "withdraw_from_program"]
    readonly_fields = ["id", "consent_at", "consent_recorded_by", "created_at", "updated_at"]
    inlines = [EnrollmentInline]
    list_select_related = ["organization"]

    @admin.display(description=_("NIK"))
    def masked_nik(self, participant):
        return mask_nik(participant.nik)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Phones are stored as +62812…; people type 0812 0000 0001 or 0812-0000-0001.
        try:
            phone = normalize_phone(search_term)
        except ValidationError:
            phone = ""
        if phone:
            results |= queryset.filter(phone=phone)
        # NIKs are encrypted: only a whole NIK finds its owner, through the keyed hash.
        digits = "".join(search_term.split())
        if len(digits) == 16 and digits.isdigit():
            results |= queryset.with_nik(digits)
        return results, may_have_duplicates

    @admin.action(description=_("Add the selected participants to a program"))
    def add_to_program(self, request, queryset):
        return self._with_program(
            request,
            queryset,
            action="add_to_program",
            title=gettext("Add to a program"),
            run=lambda program, people: self._add(request, program, people),
        )

    @admin.action(description=_("Withdraw the selected participants from a program"))
    def withdraw_from_program(self, request, queryset):
        return self._with_program(
            request,
            queryset,
            action="withdraw_from_program",
            title=gettext("Withdraw from a program"),
            run=lambda program, people: self._withdraw(request, program, people),
        )

    def _add(self, request, program, people):
        try:
            enrolled, skipped = enrollments_create(
                program=program, participants=people, by=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request,
            gettext("%(enrolled)d enrolled in “%(program)s”, %(skipped)d already were.")
            % {"enrolled": enrolled, "program": program.name, "skipped": skipped},
            messages.SUCCESS,
        )

    def _withdraw(self, request, program, people):
        count = enrollments_withdraw(program=program, participants=people)
        self.message_user(
            request,
            gettext("%(count)d withdrawn from “%(program)s”.")
            % {"count": count, "program": program.name},
            messages.SUCCESS,
        )

    def _with_program(self, request, queryset, *, action, title, run):
        """An intermediate page: choose a program of the participants' organization."""
        organizations = set(queryset.values_list("organization_id", flat=True))
        if len(organizations) != 1:
            self.message_user(
                request,
                gettext("Choose participants of one organization."),
                messages.ERROR,
            )
            return None
        programs = Program.objects.filter(organization_id__in=organizations).order_by("name")
        form = ChooseProgramForm(
            request.POST if "apply" in request.POST else None, programs=programs
        )
        if form.is_valid():
            run(form.cleaned_data["program"], list(queryset))
            return None
        return TemplateResponse(
            request,
            "admin/participants/participant/choose_program.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "form": form,
                "action": action,
                "participants": queryset.order_by("full_name"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def create_import_form(self, request):
        form = super().create_import_form(request)
        form.fields["program"].queryset = programs_managed_by(request.user).order_by("name")
        return form

    def create_confirm_form(self, request, import_form=None):
        form = super().create_confirm_form(request, import_form)
        form.fields["program"].queryset = programs_managed_by(request.user)
        return form

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        data = getattr(form, "cleaned_data", {}) if form is not None else {}
        if data.get("program"):
            resource_kwargs.update(
                program=data["program"],
                consent_method=data["consent_method"],
                consent_note=data.get("consent_note", ""),
            )
        return resource_kwargs

    def add_success_message(self, result, request):
        record = getattr(result, "record", None)
        if record is None:
            # The file or the people on record changed since the preview: nothing written.
            self.message_user(
                request,
                gettext(
                    "Nothing was imported: the file now has invalid rows or conflicts. "
                    "Import it again to see them."
                ),
                messages.ERROR,
            )
            return
        self.message_user(
            request,
            gettext(
                "“%(file)s” imported into “%(program)s”: %(new)d new, %(updated)d updated, "
                "%(skipped)d unchanged, repeated or skipped. It can be undone from the "
                "program's import history, %(url)s"
            )
            % {
                "file": record.file_name,
                "program": record.program.name,
                "new": record.new,
                "updated": record.updated,
                "skipped": result.totals[RowResult.IMPORT_TYPE_SKIP],
                "url": reverse("participant_import_history", args=[record.program.slug]),
            },
            messages.SUCCESS,
        )

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ValidationError):
            form.add_error("import_file", e.messages)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial.update(
                program=import_form.cleaned_data["program"].pk,
                consent_method=import_form.cleaned_data["consent_method"],
                consent_note=import_form.cleaned_data["consent_note"],
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
