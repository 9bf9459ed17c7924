from django.contrib import admin


class StampsParentAdmin(admin.ModelAdmin):
    """An admin for rows whose parent keeps a change stamp, the key of cached
    lists of them: every save or delete here calls `parent_changed(parent id)`,
    for the old parent too when a row moves to another."""

    parent_field = None  # the foreign key to the parent

    def parent_changed(self, parent_id):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        moved_from = form.initial.get(self.parent_field)
        for parent_id in {getattr(obj, f"{self.parent_field}_id"), moved_from} - {None}:
            self.parent_changed(parent_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.parent_changed(getattr(obj, f"{self.parent_field}_id"))

    def delete_queryset(self, request, queryset):
        parent_ids = set(queryset.values_list(f"{self.parent_field}_id", flat=True))
        super().delete_queryset(request, queryset)
        for parent_id in parent_ids:
            self.parent_changed(parent_id)
