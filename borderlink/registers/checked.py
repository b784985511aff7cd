"""Validate once: an import's check keeps what it decided, and its commit writes that while it
still holds (issue 18).

The check binds the register's form to every row (registers/bulk_write.py). For a register
written in batches (`core.bulk.insertable`, no personal data), it also keeps each batch of
records as the form built them, field by field (`ImportChunk`), and notes on the job what its
verdict rested on (`basis`):

- the file, by its SHA-256 digest;
- the day (a reach, a unit's validity, are read as of today);
- the user's grants: active, superuser, each membership's role, unit and units acted on;
- the models the check read (the form's link fields' models, the gazetteer, memberships, the
  register's own records where rows named them by ID) and when the check began: any change
  to one of them since (a change record, core/history.py), or up to `SLACK` before (a writer
  still in its transaction then may have committed after the check read), and the commit
  checks every row again.

The commit (`registers/imports.py`) writes the kept records without binding a form when the
basis holds; otherwise it checks every row again in batches, as it always could. The rules stay
in one place, the form: what is kept is its output, never a second reading of the file.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import operator
import uuid
import zlib
from collections.abc import Callable, Iterator
from functools import reduce
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from borderlink.core import bulk
from borderlink.core.history import plain_of
from borderlink.registers.blob import PIECE, StoredBytes
from borderlink.registers.fields import CodeChoiceField, CodesField
from borderlink.registers.models import ImportChunk, ImportJob
from borderlink.registers.spec import Register

VERSION = 1
SLACK = datetime.timedelta(minutes=15)

# Models every register's check reads besides its links: the units (validity, scope) and who
# may do what (memberships).
ALWAYS_READ = ("places.unit", "places.unitalias", "places.unitsuccession", "accounts.membership")

# Field types whose values the form leaves as JSON, a date, a number or text, read back exactly.
_KEPT_TYPES: dict[type[models.Field], Callable[[Any], Any]] = {
    models.BigIntegerField: int,
    models.BooleanField: bool,
    models.CharField: str,
    models.DateField: datetime.date.fromisoformat,
    models.DateTimeField: datetime.datetime.fromisoformat,
    models.DecimalField: decimal.Decimal,
    models.FloatField: float,
    models.ForeignKey: lambda value: value,
    models.IntegerField: int,
    models.JSONField: lambda value: value,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.SlugField: str,
    models.SmallIntegerField: int,
    models.TextField: str,
    models.UUIDField: uuid.UUID,
}


def _kept_fields(model: type[models.Model]) -> list[models.Field] | None:
    """The fields a kept record holds (all but the id and the timestamps a write sets), or None
    when one of them is of a type not known to read back exactly."""
    fields = []
    for field in model._meta.concrete_fields:
        if field.primary_key or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        if type(field) not in _KEPT_TYPES:
            return None
        fields.append(field)
    return fields


def keeps(spec: Register) -> bool:
    """Does the check of `spec` keep its records for the commit?"""
    model = spec.model
    many = [f for f in model._meta.many_to_many if f.name in spec.fields]
    return (
        spec.personal is None  # identities are not kept in clear anywhere beyond the file
        and bulk.insertable(model)
        and all(f.remote_field.through._meta.auto_created for f in many)  # type: ignore[union-attr]
        and _kept_fields(model) is not None
    )


class Keeper:
    """Kept batches of one check: `add` each record the form passed, `close_batch` after each
    batch (written as one chunk), `drop` if any row is refused."""

    def __init__(self, job: ImportJob, spec: Register) -> None:
        self.job = job
        self.fields = _kept_fields(spec.model) or []
        names = [f.attname for f in self.fields]
        self.values_of = operator.attrgetter(*names) if len(names) > 1 else None
        # Each value as the change history writes it: JSON's own types as they are, dates
        # and decimals as text.
        self.plain = [plain_of(f) for f in self.fields]
        self.many = [f.name for f in spec.model._meta.many_to_many if f.name in spec.fields]
        self.rows: list[list[Any]] = []
        self.number = 0
        self.on = True
        ImportChunk.objects.filter(job=job).delete()  # a check run again starts afresh

    def add(self, number: int, form: Any) -> None:
        if not self.on:
            return
        instance = form.instance
        found = (
            self.values_of(instance)
            if self.values_of is not None
            else [getattr(instance, f.attname) for f in self.fields]
        )
        values = [plain(value) for plain, value in zip(self.plain, found, strict=True)]
        links = [[obj.pk for obj in form.cleaned_data.get(name) or []] for name in self.many]
        self.rows.append([number, values, links])

    def close_batch(self) -> None:
        if self.on and self.rows:
            data = zlib.compress(json.dumps(self.rows, separators=(",", ":")).encode(), 1)
            ImportChunk.objects.create(job=self.job, number=self.number, rows=data)
            self.number += 1
        self.rows = []

    def drop(self) -> None:
        self.on = False
        self.rows = []
        ImportChunk.objects.filter(job=self.job).delete()


def kept(job: ImportJob, spec: Register) -> Iterator[list[tuple[int, models.Model, dict]]]:
    """The kept batches, in order: (row number, the record unsaved, {m2m name: [pks]})."""
    model = spec.model
    fields = _kept_fields(model) or []
    readers = [_KEPT_TYPES[type(f)] for f in fields]
    make = _maker(model, fields)
    many = [f.name for f in model._meta.many_to_many if f.name in spec.fields]
    related = Related(model, fields)
    numbers = ImportChunk.objects.filter(job=job).order_by("number")
    for number in numbers.values_list("number", flat=True):
        data = ImportChunk.objects.filter(job=job, number=number).values_list("rows", flat=True)
        rows = json.loads(zlib.decompress(bytes(data.get())))
        batch = []
        for line, values, links in rows:
            read = [
                None if value is None else reader(value)
                for reader, value in zip(readers, values, strict=True)
            ]
            batch.append((line, make(read), dict(zip(many, links, strict=True))))
        related.attach([record for _line, record, _links in batch])
        yield batch


def _maker(
    model: type[models.Model], fields: list[models.Field]
) -> Callable[[list[Any]], models.Model]:
    """How a kept record is made from the values of `fields` (the id and the timestamps left
    empty, set when written). As `Model.__init__` makes it, without its walk over the fields
    and keywords for every record (twice the time, for 20,000 activities 1.4-2.1 s against
    0.5-1.0 s on a loaded machine): its state and each field's value in the instance's dict,
    which is all `__init__` leaves there. Models that do more on creation (their own
    `__init__`, init signals) are made by `__init__`."""
    concrete = model._meta.concrete_fields
    order = {f.attname: i for i, f in enumerate(fields)}
    if model.__init__ is not models.Model.__init__ or any(
        signal._live_receivers(model) != ([], []) for signal in (pre_init, post_init)
    ):
        return lambda read: model(
            *(read[order[f.attname]] if f.attname in order else None for f in concrete)
        )
    names = [f.attname for f in concrete]
    positions = [order.get(name) for name in names]
    new = models.Model.__new__

    def make(read: list[Any]) -> models.Model:
        record = new(model)
        record.__dict__.update(
            zip(names, [None if p is None else read[p] for p in positions], strict=True)
        )
        record._state = ModelState()
        return record

    return make


class Related:
    """The records a batch links to (one query per model for those not met yet), set on each
    record as the form had set them: its history and rollup read them, as after a form."""

    def __init__(self, model: type[models.Model], fields: list[models.Field]) -> None:
        self.links = [f for f in fields if isinstance(f, models.ForeignKey)]
        self.known: dict[Any, dict[Any, models.Model]] = {f.attname: {} for f in self.links}

    def attach(self, records: list[models.Model]) -> None:
        for field in self.links:
            known = self.known[field.attname]
            wanted = {getattr(r, field.attname) for r in records} - set(known) - {None}
            if wanted:
                target: Any = field.related_model
                known.update(target._base_manager.in_bulk(wanted))
            for record in records:
                pk = getattr(record, field.attname)
                if pk is not None and pk in known:
                    field.set_cached_value(record, known[pk])


# ---- what the check rested on -------------------------------------------------------------


def digest(job: ImportJob) -> str:
    sha = hashlib.sha256()
    with StoredBytes(ImportJob, job.pk).open() as stream:
        while piece := stream.read(PIECE):
            sha.update(piece)
    return sha.hexdigest()


def grants(user_id: Any) -> str:
    """The user's standing as the gate reads it, as a digest."""
    from borderlink.accounts.models import Membership, User

    flags = User._default_manager.filter(pk=user_id).values_list("is_active", "is_superuser")
    memberships = sorted(
        (m.role, m.unit_id, sorted(u.pk for u in m.acts_on.all()))
        for m in Membership.objects.filter(user_id=user_id).prefetch_related("acts_on")
    )
    text = json.dumps([list(flags), memberships], default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def read_by(spec: Register, form: Any, matched: bool) -> list[str]:
    """The models the check of `spec` reads: its links', the units, the memberships, and its
    own where rows named records by their IDs (registers/reimport.py). A form reads other
    records only through its links (tests/registers/test_checked.py holds them to that)."""
    labels = {*ALWAYS_READ, *([spec.model._meta.label_lower] if matched else [])}
    for field in form.fields.values():
        if isinstance(field, CodeChoiceField | CodesField) and field.queryset is not None:
            labels.add(field.queryset.model._meta.label_lower)
    return sorted(labels)


def basis(
    job: ImportJob,
    spec: Register,
    form: Any,
    *,
    began: datetime.datetime,
    chunks: int,
    matched: bool,
) -> dict[str, Any]:
    return {
        "version": VERSION,
        "chunks": chunks,
        "digest": digest(job),
        "day": timezone.localdate().isoformat(),
        "grants": grants(job.user_id),
        "reads": read_by(spec, form, matched),
        "began": began.isoformat(),
    }


def still_holds(job: ImportJob) -> bool:
    """Does what the check rested on still hold, and are its records kept? Read inside the
    commit's transaction, before it writes."""
    from borderlink.core.models import ChangeRecord

    found = job.check_basis or {}
    if found.get("version") != VERSION:
        return False
    if ImportChunk.objects.filter(job=job).count() != found.get("chunks"):
        return False
    if found.get("day") != timezone.localdate().isoformat():
        return False
    if found.get("grants") != grants(job.user_id) or found.get("digest") != digest(job):
        return False
    since = datetime.datetime.fromisoformat(found["began"]) - SLACK
    read = [
        Q(app_label=app_label, model=model)
        for app_label, model in (label.split(".") for label in found.get("reads", []))
    ]
    types = ContentType.objects.filter(reduce(operator.or_, read)).values_list("pk", flat=True)
    # The types' ids first: the history is then read by its time index alone, without a join.
    changes = ChangeRecord.objects.filter(content_type__in=list(types), time__gte=since)
    return not changes.exists()


def forget_unusable() -> int:
    """Delete the kept batches no commit can use: those of an import over (done, failed, with
    errors) and those of a check from another day (its basis names the day, so the commit
    would check every row again anyway). Returns how many batches went; run daily
    (registers/tasks.py)."""
    today = timezone.localdate().isoformat()
    live = [ImportJob.Status.CHECKING, ImportJob.Status.WRITING]
    stale = (
        ImportJob.objects.exclude(status__in=live)
        .exclude(status=ImportJob.Status.PREVIEW, check_basis__day=today)
        .values("pk")
    )
    deleted, _by_model = ImportChunk.objects.filter(job__in=stale).delete()
    return deleted
