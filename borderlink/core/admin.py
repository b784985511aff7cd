from django.contrib import admin

from borderlink.core.models import ChangeRecord, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "title", "licence", "as_of"]
    list_filter = ["kind"]


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = ["time", "actor_name", "reason", "action", "object_repr"]
    list_filter = ["action", "content_type"]

    # The history is evidence: nobody edits or deletes it, not even an administrator.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
