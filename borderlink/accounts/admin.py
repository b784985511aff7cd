from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from borderlink.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]


def _login_through_the_site(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's own login would skip the lockout page and the administrators' code step."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = _login_through_the_site  # type: ignore[method-assign]
