"""Units that outlive a reform of the territorial tree.

A border-guard station, a border gate or a department is not abolished when the commune or
province above it is merged: it goes on under the unit that now holds its old parent. The
gazetteer never moves a unit in place (its path would carry its old records into another
subtree, and the figures before the reform would change), so the body that goes on is a new
unit with the same names, under the new parent, that succeeds the old one (`TRANSFER`, main
successor). Records made before the reform keep the old unit; the reform roll-up
(`places.scope`) counts them under the new one for any date after it.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from borderlink.places.choices import TERRITORIAL_KINDS, SuccessionKind, UnitKind
from borderlink.places.models import Unit, UnitSuccession
from borderlink.places.scope import main_holder

# Everything placed in the tree that is not territory (stations, gates, departments, consulates,
# residential areas…) goes on through a reform of the territory above it.
CARRIED_KINDS = tuple(k.value for k in UnitKind if k not in TERRITORIAL_KINDS)
NAME_FIELDS = ("name_vi", "name_en", "name_zh", "name_zh_pinyin")


class CarryOverError(ValueError):
    """The unit cannot be carried over; the message says why."""


def successor_code(unit: Unit, day: datetime.date) -> str:
    """The BorderLink code of the unit that goes on: the old code with the reform's year, as the
    gazetteer names units that begin with a reform (VN-C00928 → VN-C00928-2025)."""
    return f"{unit.code}-{day.year}"


@transaction.atomic
def carry_over(
    unit: Unit,
    day: datetime.date,
    parent: Unit | None = None,
    code: str | None = None,
) -> Unit:
    """The unit that continues `unit` from `day` under `parent` (by default the unit that holds
    its old parent on `day`); made once: carrying over twice returns the same successor."""
    existing = (
        UnitSuccession.objects.filter(predecessor=unit, kind=SuccessionKind.TRANSFER)
        .select_related("successor")
        .first()
    )
    if existing is not None:
        return existing.successor
    if unit.valid_to is None or unit.valid_to >= day:
        raise CarryOverError(
            f"{unit.code} is still valid on {day:%d/%m/%Y}: end it before carrying it over."
        )
    if parent is None:
        parent = main_holder(unit.parent, day) if unit.parent is not None else None
        if parent is None:
            raise CarryOverError(f"No unit holds the parent of {unit.code} on {day:%d/%m/%Y}.")
    successor = Unit(
        code=code or successor_code(unit, day),
        kind=unit.kind,
        country=unit.country,
        parent=parent,
        native_type=unit.native_type,
        name_sources=dict(unit.name_sources or {}),
        valid_from=day,
        is_border=unit.is_border,
        geometry=unit.geometry,
        source=unit.source,
        note=f"Goes on from {unit.code} after the reform of {day:%d/%m/%Y}.",
        **{name: getattr(unit, name) for name in NAME_FIELDS},
    )
    successor.full_clean()
    successor.save()
    link = UnitSuccession(
        predecessor=unit,
        successor=successor,
        kind=SuccessionKind.TRANSFER,
        effective=day,
        is_main=True,
        source=unit.source,
    )
    link.full_clean()
    link.save()
    return successor


def carry_over_all(
    day: datetime.date, country: str = "VN", parents: dict[str, str] | None = None
) -> tuple[list[Unit], list[Unit]]:
    """Carries over every body of `country` that ended the day before `day` without a successor,
    under the unit that holds its parent (or the parent named in `parents`, by code, where the
    old parent went to several units). Returns the units that go on, and the ended ones left for
    a person to place (a parent divided with no main successor, and none named)."""
    ended = (
        Unit.objects.filter(
            country=country,
            kind__in=CARRIED_KINDS,
            valid_to=day - datetime.timedelta(days=1),
        )
        .exclude(successions__isnull=False)
        .select_related("parent")
        .order_by("path")
    )
    named = parents or {}
    carried, left = [], []
    for unit in ended:
        parent = Unit.objects.get(code=named[unit.code]) if unit.code in named else None
        try:
            carried.append(carry_over(unit, day, parent=parent))
        except CarryOverError:
            left.append(unit)
    return carried, left
