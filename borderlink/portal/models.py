"""The public portal: the site's settings, articles in three languages with their editorial
history and frozen figures, and visit counts.

An `Article` is one piece of content built from a report template for a unit and a period; it
has one `ArticleVersion` per language. Each version goes through the editorial workflow on its
own (draft → review → published → withdrawn), so a translation can follow later; every move is a
`Transition` row, and every edit of the text a ChangeRecord (TrackedModel). At publication each
figure reference in the text is evaluated by the statistics engine and kept as a `FrozenFigure`
(or a `FrozenChart`): the public page shows what was published, with the date it was taken.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from borderlink.core import cache_versions
from borderlink.core.fields import optional_link
from borderlink.core.models import RestrictedQuerySet, Source, TrackedModel
from borderlink.core.workflow import WorkflowStep, state_field
from borderlink.places.choices import Lang
from borderlink.places.models import Unit
from borderlink.stats.engine import Window


class PublicSite(TrackedModel):
    """What the public portal shows: whose figures, under which name. One row per installation."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose public figures, partnerships and gates the portal shows"),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    as_of = models.DateField(
        _("figures as of"),
        null=True,
        blank=True,
        help_text=_("Blank: today, or the unit's last day if it has ended"),
    )
    headline = models.JSONField(
        _("headline figures"),
        default=list,
        blank=True,
        help_text=_("Indicator codes, CODE@UNIT for another unit's figure"),
    )
    # Bumped whenever something public changes; part of every page cache key.
    generation = models.PositiveIntegerField(default=1, editable=False)

    scope_path_lookup: ClassVar[str] = "unit__path"

    class Meta:
        verbose_name = _("public site")
        verbose_name_plural = _("public sites")

    def __str__(self) -> str:
        return self.name_vi

    def history_scope_path(self) -> str:
        return self.unit.path if self.unit_id else ""

    def name(self, lang: str) -> str:
        lang = "zh" if lang.startswith("zh") else lang[:2]
        return {"vi": self.name_vi, "en": self.name_en, "zh": self.name_zh}.get(lang, self.name_vi)

    def figures_as_of(self, today: datetime.date) -> datetime.date:
        if self.as_of:
            return self.as_of
        from borderlink.places.scope import default_as_of

        return default_as_of(self.unit, today)

    @classmethod
    def bump(cls) -> None:
        cls.objects.update(generation=F("generation") + 1)
        # Every app server's next look sees the change (once this transaction commits).
        cache_versions.bump("portal")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Article(TrackedModel):
    slug = models.SlugField(
        _("address"), max_length=100, unique=True, help_text=_("Latin letters, digits and dashes")
    )
    template = models.CharField(_("report template"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Whose figures the article gives; decides who may edit it"),
    )
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("to"))
    as_of = models.DateField(_("units as of"))
    source = optional_link(
        Source,
        _("earlier publication"),
        help_text=_("An article published elsewhere that this one brings up to date"),
    )

    scope_path_lookup: ClassVar[str] = "unit__path"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-period_to", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__isnull=True) | Q(period_to__gte=F("period_from")),
                name="article_period_in_order",
                violation_error_message=_("A period cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.slug

    def history_scope_path(self) -> str:
        return self.unit.path if self.unit_id else ""

    @property
    def window(self) -> Window:
        return Window(self.period_from, self.period_to, self.as_of)


class VersionQuerySet(RestrictedQuerySet):
    def published(self) -> VersionQuerySet:
        return self.filter(state=State.PUBLISHED)


class ArticleVersion(TrackedModel):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions"
    )
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    title = models.CharField(_("title"), max_length=300)
    lead = models.TextField(
        _("lead"), blank=True, help_text=_("One or two sentences shown in lists and feeds")
    )
    body = models.TextField(_("text"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    figures_taken_at = models.DateTimeField(_("figures taken"), null=True, blank=True)

    objects = VersionQuerySet.as_manager()  # type: ignore[misc]

    scope_path_lookup: ClassVar[str] = "article__unit__path"

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "lang"]
        constraints = [
            models.UniqueConstraint(fields=["article", "lang"], name="article_version_per_lang")
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} [{self.lang}] {self.title}"

    def history_scope_path(self) -> str:
        return self.article.unit.path if self.article_id else ""

    @property
    def is_public(self) -> bool:
        return self.state == State.PUBLISHED


class Transition(WorkflowStep):
    """One move of a version through the editorial workflow: kept for good."""

    version = models.ForeignKey(
        ArticleVersion, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = state_field(_("from"), State.choices)
    to_state = state_field(_("to"), State.choices)

    subject_field: ClassVar[str] = "version"

    class Meta(WorkflowStep.Meta):
        verbose_name = _("editorial step")
        verbose_name_plural = _("editorial history")


class FrozenFigure(models.Model):
    """A figure of a published text, as the engine gave it when the version was published."""

    version = models.ForeignKey(ArticleVersion, on_delete=models.CASCADE, related_name="figures")
    token = models.CharField(max_length=200)  # "fig:CODE@UNIT" or "money:CODE:USD"
    indicator = models.CharField(_("indicator"), max_length=80)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField()
    as_of = models.DateField()
    value = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    qualifier = models.CharField(max_length=10, blank=True)
    basis = models.CharField(max_length=10, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    text = models.CharField(max_length=300)  # as printed, with its unit of measure
    bare_text = models.CharField(max_length=300, blank=True)  # without it, for tables
    unit_label = models.CharField(max_length=100, blank=True)
    sources = models.JSONField(default=list, blank=True)  # [[code, citation], ...]
    taken_at = models.DateTimeField(_("taken"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "token"], name="frozen_figure_per_token")
        ]

    def __str__(self) -> str:
        return f"{self.token} = {self.text}"

    @property
    def window(self) -> Window:
        return Window(self.period_from, self.period_to, self.as_of)


class FrozenChart(models.Model):
    """A chart of a published text: its numbers per year and the picture drawn from them."""

    version = models.ForeignKey(ArticleVersion, on_delete=models.CASCADE, related_name="charts")
    token = models.CharField(max_length=300)
    title = models.CharField(max_length=300)
    labels = models.JSONField(default=list)
    series = models.JSONField(default=dict)  # name -> values, one per label
    texts = models.JSONField(default=dict)  # name -> values as printed
    svg = models.TextField()
    alt = models.TextField()
    taken_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "token"], name="frozen_chart_per_token")
        ]

    def __str__(self) -> str:
        return self.title


class VisitCount(models.Model):
    """Page views of the public site per day. Nothing about the visitor is kept: no cookie, no
    address, no identifier; only the day's total."""

    day = models.DateField(unique=True)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("visits")
        verbose_name_plural = _("visits")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.views}"
