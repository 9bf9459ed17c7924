from django.contrib import admin

from sessions.models import (
    Attendance,
    AttendanceEvent,
    Membership,
    Organization,
    OrganizationMembership,
    Program,
    TrainingSession,
)


class OrganizationMembershipInline(admin.TabularInline):
    model = OrganizationMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganizationMembershipInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "village", "regency", "start_date", "status"]
    list_filter = ["status", "organization", "province", "regency"]
    search_fields = ["name", "slug", "village", "district", "regency"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "start_date"
    inlines = [MembershipInline]
    list_select_related = ["organization"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role"]
    list_filter = ["role", "program__organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "program__name"]
    autocomplete_fields = ["user", "program"]
    list_select_related = ["user", "program"]


@admin.register(OrganizationMembership)
class OrganizationMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization"]
    list_filter = ["organization"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]


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
