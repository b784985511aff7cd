"""Writes a ChangeRecord for every save and delete of a TrackedModel.

The "before" state is read from the database in pre_save, so the record shows what really
changed, whoever saved (a form, the API, the admin, a command).

A change record carries the record's title and values, so it is as secret as the record: it
keeps the record's sensitivity (its own, or its parent's where the model declares
`sensitivity_lookup`), and the gate drops it above the user's clearance like any record. When a
record becomes more secret, its past change records, and those of the records that take their
sensitivity from it (a delegation's members), rise with it; they never go down, since what they
show was written at the higher level.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from borderlink.core import bulk
from borderlink.core.context import current_actor, current_reason
from borderlink.core.models import ChangeRecord, TrackedModel

MASK = "•••"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


# Fields whose values are text or whole numbers (or None) as they stand: `_plain` of one is the
# value itself. Exact types, not subclasses (an encrypted text field, say, holds other things).
_AS_IS = (
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.ForeignKey,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SlugField,
    models.SmallIntegerField,
    models.TextField,
)


def plain_of(field: models.Field) -> Any:
    """`_plain` for the values of `field`, skipped where it would return them unchanged."""
    if type(field) in _AS_IS:
        return _same
    return _plain


def _same(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int) else _plain(value)


def snapshot(instance: TrackedModel, masked: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if not field.editable or field.primary_key:
            continue  # timestamps and derived fields (paths, search text) are not changes
        value = field.value_from_object(instance)
        if masked and field.name in instance.history_masked_fields:
            value = MASK if value not in (None, "") else value
        data[field.name] = _plain(value)
    return data


def level_of(instance: models.Model) -> int:
    """The record's sensitivity, read where the gate reads it (0 for a model without one)."""
    from borderlink.core.permissions import sensitivity_lookup

    lookup = sensitivity_lookup(type(instance))
    value: Any = instance
    for name in (lookup or "").split("__"):
        if not name or value is None:
            break
        value = getattr(value, name, None)
    return int(value) if lookup and isinstance(value, int) else 0


def _children(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """The models whose sensitivity is this model's: (child model, its link to this model)."""
    found = []
    for child in apps.get_models():
        lookup = getattr(child, "sensitivity_lookup", "") or ""
        link = lookup.split("__")[0]
        if "__" in lookup and link:
            field = child._meta.get_field(link)
            if field.related_model is model:
                found.append((child, link))
    return found


def raise_level(instance: models.Model, level: int) -> None:
    """Past change records of `instance` and of its children rise to at least `level`."""
    rows = ChangeRecord.objects.filter(sensitivity__lt=level)
    ct = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    rows.filter(content_type=ct, object_id=str(instance.pk)).update(sensitivity=level)
    for child, link in _children(type(instance)):
        child_ids = [
            str(pk)
            for pk in child._default_manager.filter(**{link: instance}).values_list("pk", flat=True)
        ]
        if child_ids:
            child_ct = ContentType.objects.get_for_model(child, for_concrete_model=True)
            rows.filter(content_type=child_ct, object_id__in=child_ids).update(sensitivity=level)


def refresh_levels() -> int:
    """Brings every change record up to its record's sensitivity today (after an upgrade that
    added the level to change records); returns how many records were above public."""
    from borderlink.core.permissions import sensitivity_lookup

    count = 0
    for model in apps.get_models():
        if not issubclass(model, TrackedModel) or getattr(model, "sensitivity_lookup", None):
            continue  # children rise with their parents
        if sensitivity_lookup(model) != "sensitivity":
            continue
        levels = model._default_manager.filter(**{"sensitivity__gt": 0})
        for instance in levels:
            raise_level(instance, level_of(instance))
            count += 1
    return count


def _record(instance: TrackedModel, action: str, changes: dict[str, Any]) -> ChangeRecord:
    actor = current_actor()
    return ChangeRecord(
        actor=actor,
        actor_name=getattr(actor, "username", "") if actor else "",
        reason=current_reason(),
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        changes=changes,
        scope_path=instance.history_scope_path(),
        sensitivity=level_of(instance),
    )


def _write(instance: TrackedModel, action: str, changes: dict[str, Any]) -> None:
    _write_record(_record(instance, action, changes))


def _write_record(record: ChangeRecord) -> None:
    if not bulk.defer_history(record):
        record.save()


def _created(instance: TrackedModel) -> ChangeRecord:
    return _record(
        instance, ChangeRecord.Action.CREATE, {k: [None, v] for k, v in snapshot(instance).items()}
    )


def _bulk_created(sender: type[models.Model], instances: list[TrackedModel], **kw: Any) -> None:
    """The history of records written together (core.bulk.insert): the same rows a save of each
    would have written, written in batches; on PostgreSQL as plain rows by COPY, without a
    ChangeRecord instance each."""
    if connection.vendor == "postgresql":
        # Made before the COPY begins: no query may run on its connection until it ends.
        rows = list(_created_rows(sender, instances))
        bulk.copy_rows(ChangeRecord, _CREATED_COLUMNS, rows)
        return
    records = [_created(instance) for instance in instances]
    if bulk.active():  # gathered with the block's other history rows
        for record in records:
            bulk.defer_history(record)
    else:
        bulk.insert(ChangeRecord, records)


_CREATED_COLUMNS = (
    "time",
    "actor",
    "actor_name",
    "reason",
    "content_type",
    "object_id",
    "object_repr",
    "action",
    "changes",
    "scope_path",
    "sensitivity",
)


def _created_rows(model: type[models.Model], instances: list[TrackedModel]) -> Iterator[tuple]:
    """What `_created` makes of each instance, as values in `_CREATED_COLUMNS` order."""
    from borderlink.core.permissions import sensitivity_lookup

    actor = current_actor()
    common = (
        timezone.now(),
        actor.pk if actor is not None else None,
        getattr(actor, "username", "") if actor else "",
        current_reason(),
        ContentType.objects.get_for_model(model, for_concrete_model=True).pk,
    )
    masked = model.history_masked_fields  # type: ignore[attr-defined]
    fields = [
        (f.name, f.value_from_object, f.name in masked, plain_of(f))
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key
    ]
    lookup = sensitivity_lookup(model)
    own_level = lookup == "sensitivity"
    for instance in instances:
        changes = {}
        for name, value_of, hidden, plain in fields:
            value = value_of(instance)
            if hidden:
                value = MASK if value not in (None, "") else value
            changes[name] = [None, plain(value)]
        level = instance.sensitivity if own_level else level_of(instance)  # type: ignore[attr-defined]
        yield (
            *common,
            str(instance.pk),
            str(instance)[:300],
            ChangeRecord.Action.CREATE.value,
            json.dumps(changes),
            instance.history_scope_path(),
            int(level) if isinstance(level, int) else 0,
        )


@bulk.has_bulk_form
def _pre_save(sender: type[models.Model], instance: TrackedModel, raw: bool, **kw: Any) -> None:
    before = None
    if instance.pk is not None and not raw:
        old = sender._default_manager.filter(pk=instance.pk).first()
        if old is not None:
            before = snapshot(old, masked=False)  # type: ignore[arg-type]
    instance._history_before = before  # type: ignore[attr-defined]


@bulk.has_bulk_form
def _post_save(
    sender: type[models.Model], instance: TrackedModel, created: bool, **kw: Any
) -> None:
    if kw.get("raw"):
        return
    after = snapshot(instance)
    before = getattr(instance, "_history_before", None)
    if created or before is None:
        _write_record(_created(instance))
        return
    # Compared in clear, written masked: a changed personal field shows as changed, not its value.
    clear = snapshot(instance, masked=False)
    masked = instance.history_masked_fields
    diff = {
        k: [MASK if k in masked and before.get(k) not in (None, "") else before.get(k), v]
        for k, v in after.items()
        if before.get(k) != clear[k]
    }
    if diff:
        _write(instance, ChangeRecord.Action.UPDATE, diff)
    if "sensitivity" in diff and "sensitivity" not in getattr(sender, "sensitivity_lookup", ""):
        raise_level(instance, level_of(instance))


def _post_delete(sender: type[models.Model], instance: TrackedModel, **kw: Any) -> None:
    _write(
        instance, ChangeRecord.Action.DELETE, {k: [v, None] for k, v in snapshot(instance).items()}
    )


def connect_signals() -> None:
    for model in apps.get_models():
        if issubclass(model, TrackedModel):
            uid = f"history-{model._meta.label}"
            pre_save.connect(_pre_save, sender=model, dispatch_uid=f"{uid}-pre")
            post_save.connect(_post_save, sender=model, dispatch_uid=f"{uid}-post")
            post_delete.connect(_post_delete, sender=model, dispatch_uid=f"{uid}-del")
            bulk.created.connect(_bulk_created, sender=model, dispatch_uid=f"{uid}-bulk")


def history_of(instance: models.Model) -> models.QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    ).select_related("actor")
