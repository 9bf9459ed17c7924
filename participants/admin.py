from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from participants.models import Enrollment, Participant
from participants.validators import mask_nik


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    fields = ["program", "status", "source", "enrolled_on"]
    autocomplete_fields = ["program"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    """Admins are the only role that sees a whole NIK (UU PDP: least access)."""

    list_display = ["full_name", "organization", "phone", "masked_nik", "village", "consent_method"]
    list_filter = ["organization", "consent_method", "village"]
    search_fields = ["full_name", "phone", "nik"]
    readonly_fields = ["id", "consent_at", "consent_recorded_by", "created_at", "updated_at"]
    inlines = [EnrollmentInline]
    list_select_related = ["organization"]

    @admin.display(description=_("NIK"))
    def masked_nik(self, participant):
        return mask_nik(participant.nik)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["participant", "program", "status", "source", "enrolled_on"]
    list_filter = ["status", "source", "program__organization", "program"]
    search_fields = ["participant__full_name", "participant__phone", "program__name"]
    autocomplete_fields = ["participant", "program"]
    list_select_related = ["participant", "program"]
