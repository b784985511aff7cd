"""Shared base models: sources, timestamps, change history, the permission-gated queryset."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core import bulk

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user may do (see core.permissions)."""

    def restrict(self, user: AbstractBaseUser | AnonymousUser, action: str = "view") -> Any:
        from borderlink.core.permissions import restrict

        return restrict(self, user, action)


class Source(models.Model):
    """Where a fact comes from: a seed article, a package, a public document, an editor."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        PACKAGE = "package", _("Software package")
        DOCUMENT = "document", _("Official document")
        EDITOR = "editor", _("Editor")
        CONVENTION = "convention", _("Naming convention")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    reference = models.CharField(
        _("reference"), max_length=300, blank=True, help_text=_("URL, package name or file")
    )
    as_of = models.DateField(_("as of"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Invented records (the demo's sample ledger) must never pass for facts: lists, detail pages
    # and exports mark them, and they are kept off the public portal.
    synthetic = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("The records citing this source are invented for a demonstration"),
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class TrackedModel(models.Model):
    """Timestamps and a change history (who, when, before/after) for every record."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Fields whose values never enter the change history (personal data is masked, not copied).
    history_masked_fields: ClassVar[frozenset[str]] = frozenset()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def history_scope_path(self) -> str:
        """The unit path that decides who may read this record's history."""
        return ""

    def get_constraints(self) -> Any:
        constraints = super().get_constraints()
        if not bulk.active():
            return constraints
        return [
            (model, [c for c in found if not isinstance(c, models.CheckConstraint)])
            for model, found in constraints
        ]

    def clean_fields(self, exclude: Any = None) -> None:
        if bulk.active():
            related = {f.name for f in self._meta.concrete_fields if f.is_relation}
            exclude = set(exclude or ()) | related
        super().clean_fields(exclude=exclude)


def actor_field() -> models.ForeignKey:
    """Who did it: kept when the user is deleted (None then), never followed back from a user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class ChangeRecord(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = actor_field()
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    reason = models.CharField(_("how"), max_length=100, blank=True)
    # Indexed by (content type, object id) and by scope prefix below, nothing more: every
    # write of every register adds a row here, and each index is paid on each row.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict)
    scope_path = models.CharField(max_length=255, blank=True)
    # The record's sensitivity (core/history.py): the gate hides the change above a clearance.
    sensitivity = models.PositiveSmallIntegerField(_("sensitivity"), default=0)

    objects = RestrictedQuerySet.as_manager()

    scope_path_lookup: ClassVar[str] = "scope_path"

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("change history")
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The gate reads a scope's changes by path prefix (LIKE 'path%'), which on
            # PostgreSQL needs the pattern operator class; equality is served by it too.
            models.Index(
                fields=["scope_path"], name="change_scope_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class PersonalDataView(models.Model):
    """Who looked at whose record, and when: every page, export or API answer about a person
    (registers/personal.py writes it; /people/views/ lists it). Beside ChangeRecord, the other
    log of what users did; the table keeps its first name, from when it lived in people/."""

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
        db_table = "people_personaldataview"
        verbose_name = _("view of personal data")
        verbose_name_plural = _("views of personal data")
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id"], name="people_pers_content_33ed9e_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.username} · {self.get_how_display()} · {self.object_id}"


class StoredFile(models.Model):
    """An uploaded file as it came in: stored under a random `name` (core/files.py), downloaded
    under the name it was uploaded with, which is data and never a path."""

    name = models.CharField(_("stored as"), max_length=255, unique=True)
    original_name = models.CharField(_("uploaded as"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.original_name


# Declared with the job machinery it serves; imported here so it is one of core's models.
from borderlink.core.jobs import ScheduledRun  # noqa: E402, F401
