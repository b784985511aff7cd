"""A user changes their own password (Django's view, the site's form style). A wrong current
password counts as a failed login (accounts/lockout.py), so a left-open session is no way to
guess it faster than the login page allows. Other sessions of the user end; this one stays."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from borderlink.accounts import lockout
from borderlink.core import form_style


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        form_style.style(self)

    def clean_old_password(self) -> str:
        username = self.user.get_username()
        refused = lockout.refusal(username, self.request)
        if refused:
            raise forms.ValidationError(refused, code="locked")
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            lockout.record_failure(username, self.request)
            raise


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password-change-done")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
