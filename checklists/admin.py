from django.contrib import admin

from checklists import services
from checklists.models import (
    BlockerReason,
    ChecklistStep,
    ChecklistTemplate,
    MentoringContact,
    ProgressEvent,
    StepProgress,
    Track,
)
from pkk_training.admin import StampsParentAdmin


class StepInline(admin.TabularInline):
    model = ChecklistStep
    extra = 0
    fields = ["position", "title", "required", "archived_at"]
    readonly_fields = ["archived_at"]


class ReasonInline(admin.TabularInline):
    model = BlockerReason
    extra = 0
    fields = ["position", "code", "label", "needs_note", "archived"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "code", "archived"]
    list_filter = ["archived", "organization"]
    search_fields = ["name", "code"]
    inlines = [StepInline, ReasonInline]
    list_select_related = ["organization"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The inlines write steps and reasons behind the services' back.
        services.template_changed(template=form.instance)


class PartOfTemplateAdmin(StampsParentAdmin):
    """A step or reason written here moves its template's `changed_at`, the key
    of their cached lists."""

    parent_field = "template"

    def parent_changed(self, parent_id):
        services.template_changed(template=ChecklistTemplate(pk=parent_id))


@admin.register(ChecklistStep)
class ChecklistStepAdmin(PartOfTemplateAdmin):
    list_display = ["title", "template", "position", "required", "archived_at"]
    list_filter = ["required", "template"]
    search_fields = ["title", "how_to"]
    list_select_related = ["template"]


@admin.register(BlockerReason)
class BlockerReasonAdmin(PartOfTemplateAdmin):
    list_display = ["label", "template", "code", "needs_note", "archived"]
    list_filter = ["archived", "template"]
    search_fields = ["label", "code"]
    list_select_related = ["template"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "template", "assigned_at", "completed_at"]
    list_filter = ["template", "enrollment__program"]
    search_fields = ["enrollment__participant__full_name", "template__name"]
    raw_id_fields = ["enrollment"]
    list_select_related = ["enrollment__participant", "enrollment__program", "template"]


@admin.register(StepProgress)
class StepProgressAdmin(admin.ModelAdmin):
    list_display = ["track", "step", "state", "reason", "by", "at"]
    list_filter = ["state", "reason__code"]
    search_fields = ["track__enrollment__participant__full_name", "step__title"]
    raw_id_fields = ["track", "step"]
    list_select_related = [
        "track__enrollment__participant",
        "track__enrollment__program",
        "track__template",
        "step",
        "reason",
        "by",
    ]


@admin.register(ProgressEvent)
class ProgressEventAdmin(admin.ModelAdmin):
    list_display = ["at", "track", "step", "state", "by"]
    list_filter = ["state"]
    search_fields = ["track__enrollment__participant__full_name"]
    raw_id_fields = ["track", "step"]
    list_select_related = [
        "track__enrollment__participant",
        "track__enrollment__program",
        "track__template",
        "step",
        "by",
    ]


@admin.register(MentoringContact)
class MentoringContactAdmin(admin.ModelAdmin):
    list_display = ["date", "enrollment", "channel", "resolved", "by"]
    list_filter = ["channel", "resolved"]
    search_fields = ["enrollment__participant__full_name", "action"]
    raw_id_fields = ["enrollment", "step", "track"]
    list_select_related = ["enrollment__participant", "enrollment__program", "by"]
