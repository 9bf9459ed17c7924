from django.contrib import admin

from programs.models import Membership, Organization, OrganizationMembership, Program


class OrganizationMembershipInline(admin.TabularInline):
    model = OrganizationMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "retention_months", "created_at"]
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
    list_filter = ["status", "organization", "location_unmatched", "province", "regency"]
    search_fields = [
        "name",
        "slug",
        "village",
        "district",
        "regency",
        "regency_code",
        "district_code",
    ]
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
