from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core.jobs import Job


class ImportJobManager(models.Manager["ImportJob"]):
    """Jobs are read without their file: an import reads it in pieces from the database
    (registers/blob.py); `job.content` still loads it whole where asked."""

    def get_queryset(self) -> models.QuerySet[ImportJob]:
        return super().get_queryset().defer("content")


class ImportJob(Job):
    """One uploaded file on its way into a register: checked, previewed, then committed whole,
    each step by a worker (registers/tasks.py)."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking rows")
        PREVIEW = "preview", _("Ready to import")
        INVALID = "invalid", _("Has errors; nothing imported")
        WRITING = "writing", _("Writing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed; nothing imported")

    register = models.CharField(_("register"), max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file"), max_length=255)
    content = models.BinaryField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    # Rows of an export imported again that match their records as they are (registers/reimport.py)
    unchanged_count = models.PositiveIntegerField(_("rows unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list)
    # What the check's verdict rested on (registers/checked.py): the file's digest, when it
    # began, the user's grants, the models it read. The commit writes the rows the check kept
    # (ImportChunk) while these still hold, and checks every row again otherwise.
    check_basis = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportJobManager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.register}: {self.filename}"

    @property
    def new_rows(self) -> int:
        """Rows the commit writes: those that are not records as they stand already."""
        return max(self.total - self.unchanged_count, 0)

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (
            self.Status.PREVIEW,
            self.Status.INVALID,
            self.Status.DONE,
            self.Status.FAILED,
        )


class ImportChunk(models.Model):
    """A batch of rows as the check cleaned them, ready to write (registers/checked.py): kept
    from the check to the commit, deleted once the commit is over."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    rows = models.BinaryField()  # zlib-compressed JSON: the records' values, field by field

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="import_chunk_unique")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.number}"
