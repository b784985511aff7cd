from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from borderlink.accounts import api_keys, twofactor
from borderlink.accounts.models import ApiKey, Membership, User
from borderlink.accounts.reach import acts_on


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["unit", "acts_on"]
    readonly_fields = ["reaches_today"]

    @admin.display(description=_("acts on today"))
    def reaches_today(self, membership: Membership) -> str:
        """Where the role records today: the unit itself, or the units holding it after a
        reform (narrowed by "acts on" where an administrator chose some)."""
        if membership.pk is None:
            return "—"
        return ", ".join(
            f"{u.native_name} ({u.code})" for u in acts_on(membership, timezone.localdate())
        )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    actions = ["reset_authenticator"]

    @admin.action(
        description=_("Reset the authenticator (a new one is enrolled at next login)"),
        permissions=["change"],
    )
    def reset_authenticator(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """For a colleague who lost their phone; never one's own, which would let a stolen
        session drop the second factor of the account it is in, and a superuser's only by a
        superuser."""
        done = 0
        for user in queryset:
            if user.pk == request.user.pk or (user.is_superuser and not request.user.is_superuser):
                self.message_user(
                    request,
                    _("You cannot reset your own authenticator; ask another administrator.")
                    if user.pk == request.user.pk
                    else _("Only a superuser resets a superuser's authenticator."),
                    messages.ERROR,
                )
                continue
            done += twofactor.reset(user, by=f"admin user {request.user.pk}")
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d authenticator reset: its user enrols a new one at the next login.",
                    "%(count)d authenticators reset: their users enrol new ones at the next login.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Every user's keys, to see what programs use the API and revoke a key; a key is only ever
    made by its owner (accounts/api_keys.py), so nothing here adds or edits one."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_on",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at", "expires_on"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = [f.name for f in ApiKey._meta.fields if f.name != "digest"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a revoked key stays listed

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("accounts.change_apikey"))

    @admin.action(description=_("Revoke the selected keys"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            api_keys.revoke(key)


def _login_through_the_site(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's own login would skip the lockout page and the administrators' code step."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = _login_through_the_site  # type: ignore[method-assign]
