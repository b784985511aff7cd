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

from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from borderlink.accounts.models import ApiKey
from borderlink.core import access_keys, snapshots
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


def holder(key: str, request: Any = None) -> ApiKey | None:
    """The working key record for `key` (with its active user), or None. With `request`, the
    snapshot its holder was checked under is noted on it (core/snapshots.py) for the API's
    answers to use."""
    if not access_keys.plausible(key):
        return None
    digest = access_keys.digest(key)
    alias = router.db_for_read(ApiKey)
    taken = snapshots.take(alias)
    found = _remembered(digest, alias, taken)
    if found is None:
        found = (
            ApiKey.objects.using(alias)
            .select_related("user")
            .filter(digest=digest, user__is_active=True)
            .first()
        )
        if found is not None and taken is not None:
            _remember(digest, taken, found)
    if taken is not None and request is not None:
        snapshots.note(request, alias, taken)
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


# Holders found, per process, by key digest: the snapshot they were read under (PostgreSQL's,
# core/snapshots.py), the key's row and its user's row. While the server's snapshot is the same
# text nothing was committed anywhere since, so the key and its user are as they were read: a
# revocation, a deactivation, a changed user or role commits and moves the snapshot on, and the
# next request reads them again. A program's requests between two commits (an API client
# paging, a kept answer served again) cost one statement instead of the key's join and the
# snapshot's. Expiry is checked on every request (`works_on`): the day moves without a commit.
# Only keys found are kept (a wrong key fills nothing), and a row tuple, never the objects: each
# request gets its own user, whose per-request memos (its memberships, its reach) start empty.
_KNOWN: dict[str, tuple[str, tuple[Any, ...], tuple[Any, ...]]] = {}
KNOWN_KEYS = 1000


def _row(record: Any) -> tuple[Any, ...]:
    return tuple(getattr(record, f.attname) for f in record._meta.concrete_fields)


def _remember(digest: str, taken: str, found: ApiKey) -> None:
    if len(_KNOWN) >= KNOWN_KEYS:
        _KNOWN.clear()  # rare (a thousand programs' keys in one process): start again
    _KNOWN[digest] = (taken, _row(found), _row(found.user))


def _remembered(digest: str, alias: str, taken: str | None) -> ApiKey | None:
    """The key as read under snapshot `taken`, or None (not read under it, or no snapshot)."""
    known = _KNOWN.get(digest)
    if taken is None or known is None or known[0] != taken:
        return None
    user_model = ApiKey.user.field.related_model
    found = ApiKey.from_db(alias, _attnames(ApiKey), known[1])
    user = user_model.from_db(alias, _attnames(user_model), known[2])
    ApiKey.user.field.set_cached_value(found, user)
    return found


def _attnames(model: Any) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


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
        found = holder(key, request)
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
