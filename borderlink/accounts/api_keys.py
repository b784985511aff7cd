"""API keys: how a program (a station's synchronisation script, a spreadsheet, another system)
uses /api/ without a browser session.

- A user makes their own keys on /accounts/api-keys/, each with a name and a life of at most a
  year. Users who log in with a second factor (administrators, accounts/twofactor.py) confirm a
  new key with a fresh code: a stolen session cannot mint a long-lived key on its own.
- A key carries the user's rights, no more: the same gate decides what it may read and write.
- Only the key's digest is kept (core/access_keys.py); the page shows the key once. A key stops
  working when it expires, when it is revoked (by its owner here, or by an administrator in the
  admin) and when its user is deactivated.
- Programs send it as `Authorization: Token <key>` (or `Bearer <key>`); the header is never
  logged.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from borderlink.accounts.models import ApiKey
from borderlink.core import access_keys
from borderlink.core.busy import unless_busy

DEFAULT_DAYS = 90
MAX_DAYS = 365
# Keys a user may hold at once: enough for every program they run, few enough to keep track of.
MAX_ACTIVE = 10
KEYWORDS = {b"token", b"bearer"}
# last_used_at is written at most this often per key, not on every request.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def active(user: Any, today: datetime.date | None = None) -> Any:
    today = today or timezone.localdate()
    return ApiKey.objects.filter(user=user, revoked_at__isnull=True, expires_on__gte=today)


@transaction.atomic
def issue(user: Any, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiKey, str]:
    """A new key for the user; the key itself is returned once and never stored."""
    key = access_keys.new_key()
    record = ApiKey.objects.create(
        user=user,
        name=name,
        prefix=key[:8],
        digest=access_keys.digest(key),
        expires_on=timezone.localdate() + datetime.timedelta(days=days),
    )
    return record, key


def revoke(key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def holder(key: str) -> ApiKey | None:
    """The working key record for `key` (with its active user), or None."""
    if not access_keys.plausible(key):
        return None
    found = (
        ApiKey.objects.select_related("user")
        .filter(digest=access_keys.digest(key), user__is_active=True)
        .first()
    )
    if found is None or not found.works_on(timezone.localdate()):
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
        # A stamp a read can do without: skipped rather than wait for an import's write lock.
        unless_busy(
            "an API key's last use",
            lambda: ApiKey.objects.filter(pk=found.pk).update(last_used_at=now),
        )
    return found


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` or `Bearer <key>`; no header leaves the request to the other
    authentications (the session)."""

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as: Authorization: Token <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            key = ""
        found = holder(key)
        if found is None:
            raise exceptions.AuthenticationFailed(
                _("This API key does not work: it is wrong, has expired or was revoked.")
            )
        return found.user, found

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema (and the docs page's Authorize button) describes the keys."""

    target_class = "borderlink.accounts.api_keys.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An API key made on /accounts/api-keys/, sent as `Token <key>`.",
        }
