"""Finding units the way people type them: any language, with or without diacritics, pinyin."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from borderlink.core.text import fold
from borderlink.places.choices import KIND_ORDER
from borderlink.places.models import Unit, UnitQuerySet


def matching(text: str, queryset: UnitQuerySet | None = None) -> UnitQuerySet:
    """Units whose names, codes or aliases contain every word of `text` (or `text` unspaced)."""
    qs = queryset if queryset is not None else Unit.objects.all()
    query = fold(text)
    if not query:
        return qs.none()
    words = Q()
    for word in query.split(" "):
        words &= Q(search_text__contains=word)
    return qs.filter(words | Q(search_text__contains=query.replace(" ", "")))


def rank_key(unit: Unit, query: str, today: datetime.date) -> tuple[int, int, int, str]:
    names = [fold(n) for n in (unit.name_vi, unit.name_en, unit.name_zh) if n]
    bare = [n.split(" ", 1)[1] if " " in n else n for n in names]
    if query in names or query in bare:
        closeness = 0
    elif any(n.startswith(query) for n in names + bare):
        closeness = 1
    else:
        closeness = 2
    current = 0 if unit.is_valid_on(today) else 1
    return (closeness, current, KIND_ORDER.get(unit.kind, 99), unit.code)


def search_units(
    text: str,
    kind: str | None = None,
    on: datetime.date | None = None,
    country: str | None = None,
    limit: int = 50,
    queryset: UnitQuerySet | None = None,
) -> list[Unit]:
    qs = matching(text, queryset)
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country=country)
    if on:
        qs = qs.valid_on(on)
    query = fold(text)
    today = timezone.localdate()
    # Rank in Python over a bounded candidate set: names are short and matches few.
    candidates = list(qs.select_related("parent")[:500])
    candidates.sort(key=lambda u: rank_key(u, query, on or today))
    return candidates[:limit]
