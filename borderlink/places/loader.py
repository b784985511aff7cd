"""Writes a Batch of unit records into the gazetteer, idempotently and in one transaction.

A second load of the same data changes nothing. A reload never overwrites what an editor
entered: a name is replaced only while its recorded source is the loader's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from borderlink.core.context import current_actor
from borderlink.core.history import snapshot
from borderlink.core.models import ChangeRecord, Source
from borderlink.places.models import Unit, UnitSuccession, build_search_text
from borderlink.places.signals import gazetteer_changed
from borderlink.places.sources.records import Batch, UnitRecord

# Fields a loader owns outright; names follow the source rule below.
_OWNED = (
    "kind",
    "country",
    "official_code",
    "official_code_system",
    "native_type",
    "valid_from",
    "valid_to",
    "area_km2",
)
_NAMES = {"vi": "name_vi", "en": "name_en", "zh": "name_zh", "pinyin": "name_zh_pinyin"}


@dataclass
class LoadReport:
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _apply_record(unit: Unit, rec: UnitRecord, parent: Unit | None) -> bool:
    """Copy what the source owns onto `unit`; True when anything changed."""
    changed = False
    for name in _OWNED:
        value = getattr(rec, name)
        if value is not None and getattr(unit, name) != value:
            setattr(unit, name, value)
            changed = True
    if parent is not None and unit.parent_id != parent.pk:
        unit.parent = parent
        changed = True
    if rec.geometry and not unit.geometry:
        unit.geometry = rec.geometry
        changed = True
    sources = dict(unit.name_sources or {})
    for lang, attr in _NAMES.items():
        value = getattr(rec, attr)
        if not value:
            continue
        owner = sources.get(lang)
        if owner not in (None, rec.name_sources.get(lang)) and getattr(unit, attr):
            continue  # an editor's (or another source's) name stays
        if getattr(unit, attr) != value or owner != rec.name_sources.get(lang):
            setattr(unit, attr, value)
            sources[lang] = rec.name_sources.get(lang, "")
            changed = True
    if sources != (unit.name_sources or {}):
        unit.name_sources = sources
    return changed


@transaction.atomic
def load(batch: Batch, reason: str = "") -> LoadReport:
    source = Source.objects.get(code=batch.source_code)
    report = LoadReport(source=batch.source_code)
    codes = [r.code for r in batch.units]
    parent_codes = {r.parent_code for r in batch.units if r.parent_code}
    units: dict[str, Unit] = {
        u.code: u for u in Unit.objects.filter(code__in=set(codes) | parent_codes)
    }
    unit_ct = ContentType.objects.get_for_model(Unit)
    actor = current_actor()
    history: list[ChangeRecord] = []

    def record(unit: Unit, action: str, changes: dict[str, Any]) -> None:
        history.append(
            ChangeRecord(
                actor=actor,
                actor_name=getattr(actor, "username", "") if actor else "",
                reason=reason or f"load {batch.source_code}",
                content_type=unit_ct,
                object_id=str(unit.pk),
                object_repr=str(unit)[:300],
                action=action,
                changes=changes,
                scope_path=unit.path,
            )
        )

    # Records come parents first; create level by level so every parent has its id and path.
    pending = list(batch.units)
    to_update: list[Unit] = []
    while pending:
        wave, later = [], []
        for rec in pending:
            parent = units.get(rec.parent_code) if rec.parent_code else None
            if rec.parent_code and (parent is None or parent.pk is None):
                later.append(rec)
                continue
            existing = units.get(rec.code)
            if existing is not None and existing.pk is not None:
                before = snapshot(existing)
                if _apply_record(existing, rec, parent):
                    existing.search_text = build_search_text(
                        existing, list(existing.aliases.values_list("name", flat=True))
                    )
                    to_update.append(existing)
                    after = snapshot(existing)
                    record(
                        existing,
                        ChangeRecord.Action.UPDATE,
                        {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
                    )
                    report.updated += 1
                else:
                    report.unchanged += 1
                continue
            unit = Unit(
                code=rec.code, source=source, is_border=rec.is_border, geometry=rec.geometry
            )
            _apply_record(unit, rec, parent)
            unit.search_text = build_search_text(unit, [])
            wave.append(unit)
        if not wave:
            if later:
                missing = sorted({r.parent_code or "" for r in later})
                raise ValueError(f"parents not found for {len(later)} units: {missing[:5]}")
            break
        Unit.objects.bulk_create(wave, batch_size=1000)
        if any(u.pk is None for u in wave):  # backends that do not return ids
            ids = dict(
                Unit.objects.filter(code__in=[u.code for u in wave]).values_list("code", "pk")
            )
            for u in wave:
                u.pk = ids[u.code]
        for u in wave:
            parent_path = u.parent.path if u.parent_id and u.parent else "/"
            u.path = f"{parent_path}{u.pk}/"
            units[u.code] = u
            report.created += 1
            report.by_kind[u.kind] = report.by_kind.get(u.kind, 0) + 1
        Unit.objects.bulk_update(wave, ["path"], batch_size=1000)
        for u in wave:
            record(u, ChangeRecord.Action.CREATE, {k: [None, v] for k, v in snapshot(u).items()})
        pending = later
    if to_update:
        fields = [*_OWNED, "parent", "geometry", "search_text", "name_sources", *_NAMES.values()]
        Unit.objects.bulk_update(to_update, fields, batch_size=1000)

    existing_links = set(
        UnitSuccession.objects.filter(
            predecessor__code__in=[s.predecessor_code for s in batch.successions]
        ).values_list("predecessor__code", "successor__code")
    )
    new_links = []
    for s in batch.successions:
        if (s.predecessor_code, s.successor_code) in existing_links:
            continue
        new_links.append(
            UnitSuccession(
                predecessor=units[s.predecessor_code],
                successor=units[s.successor_code],
                kind=s.kind,
                effective=s.effective,
                is_main=s.is_main,
                source=source,
            )
        )
        existing_links.add((s.predecessor_code, s.successor_code))
    UnitSuccession.objects.bulk_create(new_links, batch_size=1000)
    report.successions_created = len(new_links)
    ChangeRecord.objects.bulk_create(history, batch_size=1000)
    if report.created or report.updated or new_links:
        gazetteer_changed.send(sender=Unit)
    return report
