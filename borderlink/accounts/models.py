from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.accounts.reach import reach_of
from borderlink.core.models import TrackedModel
from borderlink.core.reach import Reach
from borderlink.core.roles import Role


class User(AbstractUser):
    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def reaches_on(self, day: datetime.date) -> list[tuple[str, Reach]]:
        """(role, reach) for each of the user's memberships on `day`: what the permission gate
        (core/permissions.py) asks of a user, once per request."""
        return [(m.role, reach_of(m, day)) for m in self.memberships_read()]

    def memberships_read(self) -> list[Membership]:
        """The memberships with their units, read once per user object (a request): the gate
        and the menu's home unit (accounts/recording.py) ask for them on the same page."""
        read: list[Membership] | None = self.__dict__.get("_borderlink_membership_rows")
        if read is None:
            read = list(self.memberships.select_related("unit").prefetch_related("acts_on"))
            self.__dict__["_borderlink_membership_rows"] = read
        return read


class Membership(TrackedModel):
    """A user's role, exercised over the subtree of one unit."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "places.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    # A membership at a unit that has ended (old Hà Giang, an abolished district) acts on the
    # units that hold it today (accounts/reach.py); an administrator may narrow it to some.
    acts_on = models.ManyToManyField(
        "places.Unit",
        verbose_name=_("acts on (after a reform)"),
        blank=True,
        related_name="+",
        help_text=_(
            "Only for a unit that has ended: which of the units holding it today this role acts "
            "on. Empty: all of them."
        ),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def history_scope_path(self) -> str:
        return self.unit.path


class LoginFailure(models.Model):
    """One failed login (accounts/lockout.py). The address is kept only as a keyed hash; rows older
    than the lockout window are deleted as new failures arrive and after a successful login."""

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    ip_hash = models.CharField(_("address (hashed)"), max_length=64)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        indexes = [models.Index(fields=["username", "ip_hash", "at"], name="login_failure_key")]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """An administrator's authenticator app (RFC 6238 time-based codes, accounts/twofactor.py).
    `last_step` refuses a code used once already."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(_("secret"), max_length=64)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    last_step = models.BigIntegerField(_("last code step"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return str(self.user)


class ApiKey(models.Model):
    """A key a program sends instead of a session (accounts/api_keys.py): the user's own rights on
    /api/, for a limited time. Only its digest is kept; the key is shown once, when it is made.
    A revoked key stays listed, so its owner sees what it was and when it stopped."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the key is for, e.g. the station's synchronisation script."),
    )
    prefix = models.CharField(_("begins with"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_on = models.DateField(_("expires on"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name} · {self.prefix}…"

    def works_on(self, day: datetime.date) -> bool:
        return self.revoked_at is None and day <= self.expires_on
