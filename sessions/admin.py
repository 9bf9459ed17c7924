from django.contrib import admin

from sessions.models import Attendance, AttendanceEvent, TrainingSession


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "phase", "date", "start_time", "venue"]
    list_filter = ["phase", "program__organization", "program"]
    search_fields = ["title", "venue", "program__name"]
    date_hierarchy = "date"
    filter_horizontal = ["facilitators"]
    list_select_related = ["program"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["participant", "session", "status", "marked_by", "marked_at"]
    list_filter = ["status", "session__program"]
    search_fields = ["participant__full_name", "session__title"]
    raw_id_fields = ["participant", "session"]
    list_select_related = ["participant", "session", "marked_by"]


@admin.register(AttendanceEvent)
class AttendanceEventAdmin(admin.ModelAdmin):
    list_display = ["at", "participant", "session", "status", "by"]
    list_filter = ["status"]
    search_fields = ["participant__full_name", "session__title"]
    raw_id_fields = ["participant", "session"]
    list_select_related = ["participant", "session", "by"]
