"""The gazetteer: every party on either side of a border, with its history.

A unit is never renamed or re-parented in place: a change ends the unit's validity and links it
to its successors (UnitSuccession). Official codes are reused across reforms, so each unit also
has its own stable BorderLink `code`.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.core.models import RestrictedQuerySet, Source, TrackedModel
from borderlink.core.text import fold, has_han, has_latin
from borderlink.places.choices import (
    NATIVE_LANGUAGE,
    CodeSystem,
    Country,
    Lang,
    SuccessionKind,
    UnitKind,
)


class UnitQuerySet(RestrictedQuerySet):
    def valid_on(self, day: datetime.date) -> UnitQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def within(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)


class Unit(TrackedModel):
    code = models.CharField(
        _("BorderLink code"),
        max_length=64,
        unique=True,
        help_text=_("Stable and unique; used by the command line, the API and the addresses"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, db_index=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/12/345/6789/": the ids from the root down, so a subtree is one prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    official_code = models.CharField(_("official code"), max_length=20, blank=True, db_index=True)
    official_code_system = models.CharField(
        _("code system"), max_length=10, choices=CodeSystem.choices, blank=True
    )
    native_type = models.CharField(
        _("official type"), max_length=60, blank=True, help_text=_("e.g. Xã, Huyện, 县, 镇")
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_zh_pinyin = models.CharField(_("pinyin"), max_length=200, blank=True)
    name_sources = models.JSONField(
        _("name sources"), default=dict, blank=True, help_text=_("language → source code")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_border = models.BooleanField(_("border unit"), default=False)
    geometry = models.JSONField(_("geometry (GeoJSON)"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.TextField(_("note"), blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = UnitQuerySet.as_manager()  # type: ignore[misc]

    scope_path_lookup: ClassVar[str] = "path"
    # Not read when a unit is named on a list page or an API page (registers/spec.py): its
    # shape, search text, note and the sources of its names stay in the database there.
    listing_defer: ClassVar[tuple[str, ...]] = ("geometry", "name_sources", "search_text", "note")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["country", "path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
                violation_error_message=_("A unit cannot end before it begins."),
            ),
        ]

    def __str__(self) -> str:
        return self.native_name

    # Names -----------------------------------------------------------------------------------

    @property
    def native_language(self) -> str:
        return NATIVE_LANGUAGE.get(self.country, "vi")

    @property
    def native_name(self) -> str:
        return self.name_for(self.native_language) or self.name_en or self.code

    def name_for(self, lang: str) -> str:
        lang = "zh" if lang.startswith("zh") else lang[:2]
        return {"vi": self.name_vi, "en": self.name_en, "zh": self.name_zh}.get(lang, "")

    def display_name(self, lang: str) -> tuple[str, bool]:
        """The name in `lang`, or the native name and True when none is recorded in `lang`."""
        name = self.name_for(lang)
        if name:
            return name, False
        return self.native_name, True

    # Validity --------------------------------------------------------------------------------

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def ancestors(self) -> list[Unit]:
        """Parents from the root down to this unit's parent, in one query."""
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def history_scope_path(self) -> str:
        return self.path

    # Checks ----------------------------------------------------------------------------------

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}

        def add(field: str, message: object) -> None:
            errors.setdefault(field, []).append(str(message))

        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            add("valid_to", _("A unit cannot end before it begins."))
        for field in ("name_vi", "name_en", "name_zh_pinyin"):
            value = getattr(self, field)
            if value and has_han(value):
                add(
                    field,
                    _("“%(name)s” contains Chinese characters; this field takes Latin script.")
                    % {"name": value},
                )
        if self.name_zh and (has_latin(self.name_zh) or not has_han(self.name_zh)):
            add(
                "name_zh",
                _("“%(name)s” is not written in Chinese characters.") % {"name": self.name_zh},
            )
        native_field = {"vi": "name_vi", "zh": "name_zh"}[self.native_language]
        if not getattr(self, native_field):
            add(native_field, _("The name in the unit's own language is required."))
        if self.parent_id:
            parent = self.parent
            assert parent is not None
            if parent.country != self.country:
                add("parent", _("The parent unit is in another country."))
            starts_before_parent = parent.valid_from and (
                self.valid_from is None or self.valid_from < parent.valid_from
            )
            ends_after_parent = parent.valid_to and (
                self.valid_to is None or self.valid_to > parent.valid_to
            )
            if starts_before_parent or ends_after_parent:
                add(
                    "parent",
                    _("%(parent)s is not valid for the whole life of %(unit)s.")
                    % {"parent": parent, "unit": self.native_name},
                )
            if self.pk and f"/{self.pk}/" in parent.path:
                add("parent", _("A unit cannot be placed under itself."))
        if self.official_code:
            clash = self.overlapping_code_holder()
            if clash is not None:
                add(
                    "official_code",
                    _(
                        "Code %(code)s is already held by %(other)s (%(other_code)s) "
                        "during part of this period."
                    )
                    % {"code": self.official_code, "other": clash, "other_code": clash.code},
                )
        if errors:
            raise ValidationError(errors)

    def overlapping_code_holder(self) -> Unit | None:
        """Another unit with the same official code whose validity overlaps this one's."""
        others = Unit.objects.filter(
            official_code=self.official_code, official_code_system=self.official_code_system
        ).exclude(pk=self.pk)
        if self.valid_from:
            others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to:
            others = others.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.valid_to))
        return others.first()

    # Persistence -----------------------------------------------------------------------------

    def refresh_search_text(self) -> None:
        self.search_text = build_search_text(
            self, [a.name for a in self.aliases.all()] if self.pk else []
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        creating = self.pk is None
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent_id and self.parent else "/") + f"{self.pk}/"
        if path != self.path or creating:
            self.path = path
            Unit.objects.filter(pk=self.pk).update(path=path)


def build_search_text(unit: Unit, aliases: list[str]) -> str:
    """Everything a person may type to find the unit, folded: names, pinyin, codes, aliases."""
    parts = [unit.name_vi, unit.name_en, unit.name_zh, unit.code, unit.official_code, *aliases]
    if unit.name_zh_pinyin:
        parts.append(unit.name_zh_pinyin)
        parts.append(unit.name_zh_pinyin.replace(" ", ""))
    folded = [fold(p) for p in parts if p]
    folded += [f.replace(" ", "") for f in folded if " " in f]
    return " | ".join(dict.fromkeys(folded))


class UnitAlias(TrackedModel):
    """Another spelling a source uses: kept so it can be found, never printed as the name."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("spelling"), max_length=200)
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_path_lookup: ClassVar[str] = "unit__path"

    class Meta:
        verbose_name = _("variant spelling")
        verbose_name_plural = _("variant spellings")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unit_alias_unique")]

    def __str__(self) -> str:
        return self.name

    def history_scope_path(self) -> str:
        return self.unit.path


class UnitSuccession(TrackedModel):
    """`predecessor` ceased; (part of) its territory or role went to `successor` on `effective`."""

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("predecessor"), on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("successor"), on_delete=models.CASCADE, related_name="origins"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SuccessionKind.choices)
    effective = models.DateField(_("effective"))
    is_main = models.BooleanField(
        _("main successor"),
        default=True,
        help_text=_("Where a unit was divided, the successor that holds most of it"),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_path_lookup: ClassVar[str] = "predecessor__path"

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="unit_succession_not_self",
                violation_error_message=_("A unit cannot succeed itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective:%d/%m/%Y})"

    def history_scope_path(self) -> str:
        return self.predecessor.path

    def clean(self) -> None:
        if not (self.predecessor_id and self.successor_id and self.effective):
            return
        pred, succ = self.predecessor, self.successor
        if pred.pk == succ.pk:
            raise ValidationError({"successor": _("A unit cannot succeed itself.")})
        if pred.valid_to is None or pred.valid_to >= self.effective:
            raise ValidationError(
                {
                    "effective": _(
                        "%(pred)s is still valid on %(date)s; end its validity before "
                        "%(succ)s succeeds it (the two would overlap)."
                    )
                    % {"pred": pred, "succ": succ, "date": self.effective.strftime("%d/%m/%Y")}
                }
            )
        if not succ.is_valid_on(self.effective):
            raise ValidationError(
                {
                    "effective": _("%(succ)s is not valid on %(date)s.")
                    % {"succ": succ, "date": self.effective.strftime("%d/%m/%Y")}
                }
            )
        from borderlink.places.lineage import succession_cycle

        cycle = succession_cycle(pred, succ)
        if cycle:
            raise ValidationError(
                _("This succession would make a cycle: %(chain)s.")
                % {"chain": " → ".join(str(u) for u in cycle)}
            )
