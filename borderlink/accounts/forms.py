from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from borderlink.accounts import api_keys, lockout, twofactor
from borderlink.accounts.requests import SignedInRequest
from borderlink.core import form_style


class LoginForm(AuthenticationForm):
    """Django's login form, saying how long to wait after repeated failures (accounts/lockout)."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        refused = lockout.refusal(username, self.request) if username else None
        if refused:
            raise forms.ValidationError(refused, code="locked")
        return super().clean()


class ApiKeyForm(forms.Form):
    """A new API key: its name and life; for users with a second factor, a fresh code too."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. the station's synchronisation script."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=api_keys.MAX_DAYS,
        initial=api_keys.DEFAULT_DAYS,
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        help_text=_("Administrators confirm a new key with a code, as when they log in."),
    )

    def __init__(self, *args: Any, request: SignedInRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        if not twofactor.required(self.user):
            del self.fields["code"]
        form_style.style(self)

    def clean(self) -> dict[str, Any]:
        if api_keys.active(self.user).count() >= api_keys.MAX_ACTIVE:
            raise forms.ValidationError(
                _("You already have %(count)s keys in use. Revoke one you no longer need first."),
                code="too_many",
                params={"count": api_keys.MAX_ACTIVE},
            )
        # The code last, once everything else holds: a right code is spent when checked.
        if "code" in self.fields and not self.errors:
            try:
                self._check_code(self.cleaned_data.get("code", ""))
            except forms.ValidationError as error:
                self.add_error("code", error)
        return self.cleaned_data

    def _check_code(self, code: str) -> None:
        username = self.user.get_username()
        refused = lockout.refusal(username, self.request)
        if refused:
            raise forms.ValidationError(refused, code="locked")
        if not twofactor.verify(twofactor.device_for(self.user), code):
            lockout.record_failure(username, self.request)
            raise forms.ValidationError(_("The code is not right. Try again."), code="code")
