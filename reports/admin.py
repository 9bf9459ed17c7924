from django.contrib import admin

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
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "program", "position"]
    search_fields = ["name", "role", "program__name"]
    autocomplete_fields = ["program"]
    list_select_related = ["program"]

    # Each write moves the program's report stamp, the key of the cached list.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # One moved to another program leaves the first program's list too.
        for pk in {obj.program_id, form.initial.get("program")} - {None}:
            services.report_parts_changed(program=Program(pk=pk))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.report_parts_changed(program=obj.program)

    def delete_queryset(self, request, queryset):
        programs = list(Program.objects.filter(pk__in=queryset.values("program")))
        super().delete_queryset(request, queryset)
        for program in programs:
            services.report_parts_changed(program=program)


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
