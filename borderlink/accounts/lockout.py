"""Refusing logins after repeated failures.

After LOGIN_FAILURE_LIMIT failed logins for one user name from one address within
LOGIN_FAILURE_MINUTES, further attempts for that pair are refused — even with the right password —
until the window has passed. The address is never stored: only an HMAC of it under a key derived
from SECRET_KEY, so rows cannot be turned back into addresses. The pair, not the user name alone,
is locked so that nobody can lock a colleague out from elsewhere.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from borderlink.accounts.models import LoginFailure


def limit() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_LIMIT", 5))


def window() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "LOGIN_FAILURE_MINUTES", 15)))


def ip_hash(request: HttpRequest | None) -> str:
    address = (request.META.get("REMOTE_ADDR", "") if request is not None else "") or ""
    key = hashlib.sha256(b"borderlink-login-address:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def _normal(username: Any) -> str:
    return str(username or "").strip().casefold()[:150]


def _recent(username: Any, request: HttpRequest | None) -> Any:
    return LoginFailure.objects.filter(
        username=_normal(username), ip_hash=ip_hash(request), at__gte=timezone.now() - window()
    )


def is_locked(username: Any, request: HttpRequest | None) -> bool:
    return _recent(username, request).count() >= limit()


def record_failure(username: Any, request: HttpRequest | None) -> None:
    LoginFailure.objects.filter(at__lt=timezone.now() - window()).delete()
    if not is_locked(username, request):
        LoginFailure.objects.create(username=_normal(username), ip_hash=ip_hash(request))


def clear(username: Any, request: HttpRequest | None) -> None:
    LoginFailure.objects.filter(username=_normal(username), ip_hash=ip_hash(request)).delete()
