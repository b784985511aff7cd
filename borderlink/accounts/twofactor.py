"""Two-factor login for administrators: after the password, a time-based one-time code (RFC 6238,
30-second steps, one step of clock drift either side) from an authenticator app.

Superusers and holders of the administrator role need it. The password step (views.LoginView)
does not log such a user in: it keeps their id in the session for a few minutes and sends them to
the code step (views.code_view). An administrator without a confirmed authenticator is shown a new
key there and confirms it with a first code. A code is accepted once; wrong codes count as failed
logins (accounts/lockout.py).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pyotp
from django.http import HttpRequest
from django.utils import timezone

from borderlink.accounts.models import TotpDevice, User
from borderlink.core.roles import Role

PENDING = "borderlink_2fa_pending"
PENDING_SECONDS = 300
STEP = 30
ISSUER = "BorderLink"

log = logging.getLogger(__name__)


def required(user: Any) -> bool:
    return bool(user.is_superuser or user.memberships.filter(role=Role.ADMIN).exists())


def device_for(user: User) -> TotpDevice:
    device, _created = TotpDevice.objects.get_or_create(
        user=user, defaults={"secret": pyotp.random_base32()}
    )
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret, interval=STEP).provisioning_uri(
        name=device.user.get_username(), issuer_name=ISSUER
    )


def verify(device: TotpDevice, code: str, now: float | None = None) -> bool:
    """True for a right code not used before; confirms the device and remembers its step."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    now = time.time() if now is None else now
    totp = pyotp.TOTP(device.secret, interval=STEP)
    step = int(now // STEP)
    for candidate in (step - 1, step, step + 1):
        if candidate > device.last_step and totp.at(candidate * STEP) == code:
            device.last_step = candidate
            device.confirmed = True
            device.save(update_fields=["last_step", "confirmed"])
            return True
    return False


def start(request: HttpRequest, user: User, backend: str, next_url: str) -> None:
    request.session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "until": time.time() + PENDING_SECONDS,
    }


def pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    state = request.session.get(PENDING)
    if not state or state.get("until", 0) < time.time():
        return None
    user = User.objects.filter(pk=state["user"], is_active=True).first()
    return (user, state) if user is not None else None


def finish(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)


def reset(user: User, by: str) -> bool:
    """Forget the user's authenticator (a lost or replaced phone): at the next login, after the
    password, they are shown a new key to enrol. Logged, without any secret."""
    deleted, _rows = TotpDevice.objects.filter(user=user).delete()
    if not deleted:
        return False
    _end_sessions(user)
    log.warning("authenticator reset for user %s by %s", user.pk, by)
    return True


def _end_sessions(user: User) -> None:
    """Log the user out everywhere: a session opened with the lost phone's codes ends with it."""
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
