from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from borderlink.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
