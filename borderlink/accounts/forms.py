from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from borderlink.accounts import lockout


class LoginForm(AuthenticationForm):
    """Django's login form, saying so when the user name is locked after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed logins for this user name. Wait %(minutes)s minutes and try again."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and lockout.is_locked(username, self.request):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": int(lockout.window().total_seconds() // 60)},
            )
        return super().clean()
