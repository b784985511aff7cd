"""Secret keys that stand in for a session: API keys (accounts/api_keys.py) and calendar
subscription addresses (delegations/calendar_feed.py).

A key is 256 random bits, URL-safe. Only its SHA-256 digest is stored, so a copy of the database
reveals no working key; the key itself is shown once, when it is made. A plain digest is enough
(no salt, no slow hash): the key is random, not a password a person chose, so there is no
dictionary to try, and a unique digest column finds the holder in one indexed look-up.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.http import HttpRequest

# A key is 43 characters; anything much longer is not one (and is not hashed at all).
MAX_LENGTH = 100


def new_key() -> str:
    return secrets.token_urlsafe(32)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def plausible(key: str) -> bool:
    return bool(key) and len(key) <= MAX_LENGTH


# A new key is shown on the page after the redirect that follows its POST (so that reloading the
# page does not make another one). Until that page takes it, it waits in the user's session, in
# a slot of its own kind, for a minute at most: a key left there (a closed tab) is dropped at the
# next look, never shown late.
_TO_SHOW = "borderlink_new_key:"
SHOW_SECONDS = 60


def show_once(request: HttpRequest, what: str, value: str) -> None:
    request.session[_TO_SHOW + what] = {"value": value, "until": time.time() + SHOW_SECONDS}


def take_shown(request: HttpRequest, what: str) -> str:
    now = time.time()
    for name in [k for k, _v in request.session.items() if k.startswith(_TO_SHOW)]:
        if name != _TO_SHOW + what and request.session[name].get("until", 0) < now:
            del request.session[name]  # a key of another kind nobody came to see
    held = request.session.pop(_TO_SHOW + what, None)
    if not held or held.get("until", 0) < now:
        return ""
    return str(held["value"])
