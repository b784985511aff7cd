"""Authentication through the lockout (accounts/lockout.py), whichever page logs in: the login
page, the admin's, the API's session login."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

from borderlink.accounts import lockout


class LockoutBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if lockout.is_locked(username, request):
            raise PermissionDenied  # stops every backend; counts as a failed login
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="borderlink-login-failed")
def _failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = credentials.get(get_user_model().USERNAME_FIELD)
    if username:
        lockout.record_failure(username, request)


@receiver(user_logged_in, dispatch_uid="borderlink-logged-in")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    lockout.clear(user.get_username(), request)
