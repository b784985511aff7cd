"""Change history in the reader's words: each changed field by its label, each value as the
record's page shows it, never ids and JSON ("parent: — → 94", "sensitivity: 1").

core/history.py stores plain values (a linked record as its id, a date as ISO text, a choice as
its code) so that a change record outlives renames and translations; this module reads them back
for a page, in the page's language, at the time of reading:

- the field's verbose name; a choice's label; yes/no; dates and numbers in the page's format;
- a linked record by its name (a unit in the page's language), looked up through the gate: one
  the reader may not see reads "a record you cannot see", one deleted since "a deleted record";
- a map shape or a mapping (names' sources) summarised, never dumped.

A field the model no longer has is shown by its stored name and value, as written.
"""

from __future__ import annotations

import datetime
import decimal
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from borderlink.core.models import ChangeRecord

EMPTY = "—"
LONGEST = 160  # characters of a long text shown before it is cut


@dataclass(frozen=True)
class Line:
    field: str  # the stored name, for machines (data- attributes, tests)
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Described:
    change: ChangeRecord
    lines: list[Line]


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _model_of(change: ChangeRecord) -> type[models.Model] | None:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_id(change.content_type_id).model_class()  # cached


def _links_wanted(
    changes: Iterable[ChangeRecord],
) -> dict[type[models.Model], set[Any]]:
    """Per linked model, every id the changes name: one query per model for the whole page."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for change in changes:
        model = _model_of(change)
        for name, values in (change.changes or {}).items():
            field = _field(model, name)
            if field is None or not field.is_relation or field.many_to_many:
                continue
            target = field.related_model
            if not isinstance(target, type):
                continue
            for value in values or ():
                if value not in (None, ""):
                    wanted[target].add(value)
    return wanted


def _name_of(record: models.Model, lang: str) -> str:
    display = getattr(record, "display_name", None)
    if callable(display):  # a unit: its name in the page's language, else its own
        name, _native = display(lang)
        return str(name)
    return str(record)


class LinkNames:
    """The names of the linked records a page of changes names, as `user` may see them."""

    def __init__(self, changes: Iterable[ChangeRecord], user: Any) -> None:
        from borderlink.core.permissions import restrict

        lang = get_language() or "vi"
        self.visible: dict[tuple[type[models.Model], str], str] = {}
        self.existing: set[tuple[type[models.Model], str]] = set()
        for model, ids in _links_wanted(changes).items():
            manager = model._default_manager
            keys = [str(i) for i in ids]
            try:
                shown = restrict(manager.filter(pk__in=ids), user, "view")
                for record in shown:
                    self.visible[(model, str(record.pk))] = _name_of(record, lang)
            except (TypeError, ValueError):  # a stored id of another type: named by no one
                continue
            hidden = [k for k in keys if (model, k) not in self.visible]
            if hidden:
                present = manager.filter(pk__in=hidden).values_list("pk", flat=True)
                self.existing.update((model, str(pk)) for pk in present)

    def name(self, model: type[models.Model], pk: Any) -> str:
        key = (model, str(pk))
        if key in self.visible:
            return self.visible[key]
        if key in self.existing:
            return _("a record you cannot see")
        return _("a deleted record")


def _date(value: str, field: models.Field[Any, Any]) -> str:
    try:
        if isinstance(field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(value)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        pass
    return str(value)


def _shape(value: dict[str, Any]) -> str:
    """A GeoJSON geometry in words: a point by its coordinates, anything else by its kind."""
    kind = value.get("type")
    coordinates = value.get("coordinates")
    if kind == "Point" and isinstance(coordinates, list | tuple) and len(coordinates) >= 2:
        lon, lat = coordinates[0], coordinates[1]
        return _("a point on the map (%(lat)s, %(lon)s)") % {
            "lat": formats.number_format(decimal.Decimal(str(lat)), 4),
            "lon": formats.number_format(decimal.Decimal(str(lon)), 4),
        }
    if kind in ("LineString", "MultiLineString"):
        return _("a line on the map")
    return _("an outline on the map")


def _cut(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def value_text(
    field: models.Field[Any, Any] | None, value: Any, names: LinkNames | None = None
) -> str:
    """One stored value as a page shows it."""
    from borderlink.core.history import MASK

    if value is None or value == "":
        return EMPTY
    if value == MASK:
        return MASK
    if field is None:
        return _cut(str(value))
    if field.is_relation and not field.many_to_many and isinstance(field.related_model, type):
        return names.name(field.related_model, value) if names else str(value)
    if field.choices:
        labels = {str(code): label for code, label in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateField | models.DateTimeField):
        return _date(value, field)
    if isinstance(value, dict) and "type" in value and "coordinates" in value:
        return _shape(value)
    if isinstance(value, dict):
        parts = [f"{key}: {value_text(None, item)}" for key, item in value.items() if item]
        return _cut("; ".join(parts)) or EMPTY
    if isinstance(value, list):
        return _cut("; ".join(value_text(None, item) for item in value)) or EMPTY
    if isinstance(field, models.DecimalField):
        try:
            return str(formats.number_format(decimal.Decimal(str(value)), use_l10n=True))
        except decimal.InvalidOperation:
            return str(value)
    if isinstance(value, int | float):
        return str(formats.number_format(value, use_l10n=True, force_grouping=True))
    return _cut(str(value))


def describe(changes: Iterable[ChangeRecord], user: Any) -> list[Described]:
    """The changes with their lines, ready for core/_changes.html. A record's creation lists
    only the fields it was given a value (an empty field was not a change)."""
    changes = list(changes)
    names = LinkNames(changes, user)
    described = []
    for change in changes:
        model = _model_of(change)
        lines = []
        for name, values in (change.changes or {}).items():
            before, after = [*(values or ()), None, None][:2]
            if before in (None, "") and after in (None, "") and change.action != "update":
                continue
            field = _field(model, name)
            label = capfirst(str(field.verbose_name)) if field is not None else name
            lines.append(
                Line(name, label, value_text(field, before, names), value_text(field, after, names))
            )
        described.append(Described(change, lines))
    return described
