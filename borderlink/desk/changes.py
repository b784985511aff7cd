"""Recent changes the user may read, never naming a record they may not open.

A change record carries the record's title as it was (`object_repr`) and no sensitivity of its
own, so the gate on change history (its unit path) is not enough: a secret entry's title would
show to a user cleared only for internal ones. Here a change is listed only when the record
itself passes the gate for this user today, and under the record's current title; a deleted
record is named only by its kind, since nothing is left to check its sensitivity against. A
record whose title names its parent (a delegation member its delegation) takes the parent's
sensitivity in the gate (`sensitivity_lookup`). Each record is listed once, with its latest
change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from borderlink.core.models import ChangeRecord
from borderlink.core.permissions import can_at_all, restrict
from borderlink.places.models import Unit
from borderlink.registers.spec import register_for

# How many of the latest changes in scope are looked at to find the ones to show.
LOOK_AT = 60


@dataclass(frozen=True)
class Change:
    record: ChangeRecord
    obj: models.Model | None  # None: the record was deleted (or is not a model any more)
    kind: str  # the record's kind in the page's language

    @property
    def title(self) -> str:
        return str(self.obj) if self.obj is not None else ""

    @property
    def url(self) -> str:
        """The record's page: a register's detail page, or a unit's page in the gazetteer."""
        if self.obj is None:
            return ""
        if isinstance(self.obj, Unit):
            return reverse("places:detail", args=[self.obj.code])
        spec = register_for(type(self.obj))
        return reverse("registers:detail", args=[spec.slug, self.obj.pk]) if spec else ""


def _model(content_type_id: int) -> type[models.Model] | None:
    return ContentType.objects.get_for_id(content_type_id).model_class()


def recent_changes(user: Any, limit: int = 10) -> list[Change]:
    latest = list(
        restrict(ChangeRecord.objects.all(), user, "view").only(
            "time", "actor_name", "reason", "content_type_id", "object_id", "action"
        )[:LOOK_AT]
    )
    ids: dict[int, set[str]] = defaultdict(set)
    for change in latest:
        if change.action != ChangeRecord.Action.DELETE:
            ids[change.content_type_id].add(change.object_id)
    visible: dict[tuple[int, str], models.Model] = {}
    for content_type_id, object_ids in ids.items():
        model = _model(content_type_id)
        if model is None:
            continue
        keys = [model._meta.pk.to_python(i) for i in object_ids]
        # select_related(): titles that name a parent record (a return names its unit, a
        # delegation member its delegation) cost no query of their own.
        found = model._default_manager.filter(pk__in=keys).select_related()
        for obj in restrict(found, user, "view"):
            visible[(content_type_id, str(obj.pk))] = obj
    shown: list[Change] = []
    seen: set[tuple[int, str]] = set()
    for change in latest:
        key = (change.content_type_id, change.object_id)
        if key in seen:
            continue  # one line a record: its latest change
        seen.add(key)
        model = _model(change.content_type_id)
        kind = str(model._meta.verbose_name) if model is not None else ""
        if change.action == ChangeRecord.Action.DELETE:
            if model is not None and can_at_all(user, model, "view"):
                shown.append(Change(change, None, kind))
        else:
            current = visible.get(key)
            if current is not None:
                shown.append(Change(change, current, kind))
        if len(shown) == limit:
            break
    return shown
