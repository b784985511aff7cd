from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core.jobs import Job
from borderlink.places.models import Unit


class ReportJob(Job):
    """One report being rendered by a worker (reports/tasks.py); the page polls its progress."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    template = models.CharField(_("template"), max_length=50)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("to"))
    as_of = models.DateField(_("units as of"))
    lang = models.CharField(_("language"), max_length=2)
    format = models.CharField(_("format"), max_length=4)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    percent = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.template} {self.unit_id} {self.lang}.{self.format}"

    @property
    def finished(self) -> bool:
        return self.status != self.Status.RUNNING

    @property
    def filename(self) -> str:
        return f"{self.template}-{self.period_to:%Y%m%d}-{self.lang}.{self.format}"
