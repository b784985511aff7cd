from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from borderlink.portal import figures, markup, public
from borderlink.portal.models import PublicSite, Transition


@admin.register(PublicSite)
class PublicSiteAdmin(admin.ModelAdmin):
    list_display = ["name_vi", "unit", "as_of"]
    raw_id_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        errors = figures.check(markup.parse(" ".join("{fig:" + str(c) + "}" for c in obj.headline)))
        if errors:
            from django.contrib import messages

            for error in errors:
                messages.warning(request, error)
        super().save_model(request, obj, form, change)
        PublicSite.bump()  # the public pages show the change at once
        public.forget_site()


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    """The editorial history: read only, like the change history."""

    list_display = ["at", "version", "from_state", "to_state", "actor", "note"]
    list_filter = ["to_state"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
