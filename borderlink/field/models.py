"""What the field app sent, remembered by the identifier the device gave each entry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """One entry of the field app that was saved: its UUID, made on the device when the entry
    was written, is the idempotency key. An entry sent again (a batch retried after a cut
    connection, a device restored from a file) finds itself here and makes nothing twice.

    Saved in the same transaction as the record it made: either both are there or neither."""

    uuid = models.UUIDField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    register = models.CharField(_("register"), max_length=64)
    # None for a cell of the log sheet that was cleared (its entry deleted).
    record_id = models.BigIntegerField(_("record"), null=True)
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("field app submission")
        verbose_name_plural = _("field app submissions")

    def __str__(self) -> str:
        return f"{self.register} {self.record_id} ({self.uuid})"
