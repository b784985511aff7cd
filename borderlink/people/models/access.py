"""Who looked at whose record, and when: every page, export or API answer about a person."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core.models import RestrictedQuerySet


class PersonalDataView(models.Model):
    class How(models.TextChoices):
        DETAIL = "detail", _("Record page")
        LIST = "list", _("List page")
        EXPORT = "export", _("Export")
        API = "api", _("API")

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    how = models.CharField(_("how"), max_length=8, choices=How.choices)
    revealed = models.BooleanField(_("identity shown"))
    scope_path = models.CharField(max_length=255, blank=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_lookup: ClassVar[str] = "scope_path"

    class Meta:
        verbose_name = _("view of personal data")
        verbose_name_plural = _("views of personal data")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.username} · {self.get_how_display()} · {self.object_id}"
