from django.contrib import admin

from certificates.models import Card, Certificate, CertificateSettings


@admin.register(CertificateSettings)
class CertificateSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "min_sessions", "checklist", "post_test", "min_score"]
    autocomplete_fields = ["program"]
    raw_id_fields = ["checklist", "post_test"]
    list_select_related = ["program", "checklist", "post_test"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Issued certificates are evidence: looked at, never edited (revoke from the program)."""

    list_display = ["number", "name", "program", "issued_at", "revoked_at"]
    list_filter = ["program__organization"]
    search_fields = ["number", "code", "name", "program__name"]
    list_select_related = ["program"]
    exclude = ["pdf"]
    readonly_fields = [
        "program",
        "enrollment",
        "name",
        "sequence",
        "number",
        "code",
        "sha256",
        "issued_at",
        "issued_by",
        "revoked_at",
        "revoked_reason",
        "revoked_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["code", "enrollment", "created_at"]
    search_fields = ["code", "enrollment__participant__full_name"]
    raw_id_fields = ["enrollment"]
    list_select_related = ["enrollment__participant", "enrollment__program"]
