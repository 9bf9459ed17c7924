from django.contrib import admin

from pkk_training.admin import StampsParentAdmin
from programs.models import Program
from reports import services
from reports.models import Indicator, ReportSettings, ReportVersion, Signatory


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["label", "program", "source", "population", "position"]
    list_filter = ["source", "population", "program__organization"]
    search_fields = ["label", "program__name"]
    raw_id_fields = [
        "question",
        "step",
        "session",
        "population_session",
        "population_survey",
        "reason_question",
    ]
    filter_horizontal = ["templates"]
    autocomplete_fields = ["program"]
    list_select_related = ["program"]


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "letterhead_name", "place", "report_date"]
    autocomplete_fields = ["program"]
    list_select_related = ["program"]


@admin.register(Signatory)
class SignatoryAdmin(StampsParentAdmin):
    list_display = ["name", "role", "program", "position"]
    search_fields = ["name", "role", "program__name"]
    autocomplete_fields = ["program"]
    list_select_related = ["program"]
    parent_field = "program"  # its report stamp is the key of the cached list

    def parent_changed(self, parent_id):
        services.report_parts_changed(program=Program(pk=parent_id))


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    """Issued versions are evidence: they are looked at, never edited."""

    list_display = ["program", "number", "as_of", "issued_at", "issued_by", "sha256"]
    list_select_related = ["program", "issued_by"]
    exclude = ["pdf"]
    readonly_fields = ["program", "number", "as_of", "sha256", "issued_at", "issued_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
