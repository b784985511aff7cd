"""Slowing down password guessing without letting anyone lock a user out.

Three limits, over the failures of the last LOGIN_FAILURE_MINUTES; each refuses a try without
checking the password and without counting it, and each wait is bounded by the window:

- Per user name from one client address: after LOGIN_FAILURE_LIMIT failures each further try
  waits 2, 4, 8 … seconds after the last failure. One address can so make about fifteen guesses a
  window, and only ever delays itself: the user, from elsewhere, is not held up at all.
- Per user name from everywhere: after LOGIN_ACCOUNT_LIMIT failures (more than one address can
  reach alone) the same doubling wait holds for every address, so spreading guesses over many
  addresses gains little. This wait too passes, and then the right password logs in.
- Per client address, any user name: after LOGIN_ADDRESS_LIMIT failures that address is refused
  until its older failures leave the window (guessing one password across many accounts).

A login clears the user name's failures. The client address is the one trusted proxies vouch for
(core/client_address.py), never the proxy's own. It is never stored: only an HMAC of it under a
key derived from SECRET_KEY, so rows cannot be turned back into addresses.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from borderlink.accounts.models import LoginFailure
from borderlink.core.client_address import client_address

MAX_DOUBLINGS = 20  # 2**20 s is far past any window: keeps the arithmetic small


def limit() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_LIMIT", 5))


def account_limit() -> int:
    return int(getattr(settings, "LOGIN_ACCOUNT_LIMIT", 20))


def address_limit() -> int:
    return int(getattr(settings, "LOGIN_ADDRESS_LIMIT", 30))


def window() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "LOGIN_FAILURE_MINUTES", 15)))


def ip_hash(request: HttpRequest | None) -> str:
    address = client_address(request) if request is not None else ""
    key = hashlib.sha256(b"borderlink-login-address:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def _normal(username: Any) -> str:
    return str(username or "").strip().casefold()[:150]


def _recent() -> Any:
    return LoginFailure.objects.filter(at__gte=timezone.now() - window())


def delay_after(failures: int, threshold: int | None = None) -> datetime.timedelta:
    """How long to wait after the last failure, given the failures in the window."""
    threshold = limit() if threshold is None else threshold
    if failures < threshold:
        return datetime.timedelta(0)
    seconds = 2 ** min(failures - threshold + 1, MAX_DOUBLINGS)
    return min(datetime.timedelta(seconds=seconds), window())


def _wait(failures: Any, threshold: int) -> datetime.timedelta:
    found = failures.aggregate(n=Count("pk"), last=Max("at"))
    if not found["n"]:
        return datetime.timedelta(0)
    wait = found["last"] + delay_after(found["n"], threshold) - timezone.now()
    return max(wait, datetime.timedelta(0))


def account_wait(username: Any, request: HttpRequest | None = None) -> datetime.timedelta:
    """The wait for this user name: from this client, or (without a request) from everywhere."""
    failures = _recent().filter(username=_normal(username))
    everywhere = _wait(failures, account_limit())
    if request is None:
        return everywhere
    return max(_wait(failures.filter(ip_hash=ip_hash(request)), limit()), everywhere)


def address_wait(request: HttpRequest | None) -> datetime.timedelta:
    if request is None:  # no client (a command, a test): nothing to limit by
        return datetime.timedelta(0)
    times = list(
        _recent()
        .filter(ip_hash=ip_hash(request))
        .order_by("-at")
        .values_list("at", flat=True)[: address_limit()]
    )
    if len(times) < address_limit():
        return datetime.timedelta(0)
    # Free again when the oldest of the last LOGIN_ADDRESS_LIMIT failures leaves the window.
    return max(times[-1] + window() - timezone.now(), datetime.timedelta(0))


def _how_long(wait: datetime.timedelta) -> str:
    seconds = math.ceil(wait.total_seconds())
    if seconds < 120:
        return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


def refusal(username: Any, request: HttpRequest | None) -> str | None:
    """Why a try for this user name from this client must not be checked now (translated), or
    None when it may go ahead."""
    wait = address_wait(request)
    if wait:
        return _(
            "Too many failed logins from your network address. Wait %(wait)s and try again."
        ) % {"wait": _how_long(wait)}
    wait = account_wait(username, request)
    if wait:
        return _("Too many failed logins for this user name. Wait %(wait)s and try again.") % {
            "wait": _how_long(wait)
        }
    return None


def is_locked(username: Any, request: HttpRequest | None) -> bool:
    return refusal(username, request) is not None


def record_failure(username: Any, request: HttpRequest | None) -> None:
    """Count a failed try, unless it was refused unchecked (a refused try tells nothing)."""
    LoginFailure.objects.filter(at__lt=timezone.now() - window()).delete()
    if not is_locked(username, request):
        LoginFailure.objects.create(username=_normal(username), ip_hash=ip_hash(request))


def clear(username: Any, request: HttpRequest | None) -> None:
    """A login: the account's failures, from wherever, no longer count against it. The address's
    failures for other user names stay."""
    LoginFailure.objects.filter(username=_normal(username)).delete()
