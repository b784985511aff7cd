"""What a map needs around its own features to be read without a tile server: the names of the
places in view in the page's language, and each side of the line named where it lies.

The gazetteer holds a point per unit (no outlines): names are written at those points, and a
side's name at its own unit nearest to what the map shows, so "Việt Nam" and "中国" land on their
sides of the line.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language

from borderlink.places.choices import Country, UnitKind
from borderlink.places.models import Unit

# The levels whose names orient a reader of a border map: provinces on both sides, our
# districts and their prefectures (a Chinese county is a "district" in the gazetteer).
ORIENTING_KINDS = (UnitKind.PROVINCE, UnitKind.PREFECTURE)


def _point(unit: Unit) -> tuple[float, float] | None:
    geometry = unit.geometry or {}
    if geometry.get("type") != "Point":
        return None
    lon, lat = geometry["coordinates"][:2]
    return float(lon), float(lat)


def name_in_page_language(unit: Unit) -> str:
    return unit.display_name(get_language() or "vi")[0]


def place_labels(units: Iterable[Unit]) -> dict[str, Any]:
    """A FeatureCollection of the units' points, each with its name in the page's language as
    a `label` (written on the map, not a link)."""
    features = []
    for unit in units:
        point = _point(unit)
        if point is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(point)},
                "properties": {"label": name_in_page_language(unit), "kind": "place"},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def sides(units: Iterable[Unit], near: tuple[float, float]) -> list[dict[str, Any]]:
    """Each country's name (in the page's language) at the point of its unit nearest to `near`
    (lon, lat; the middle of what the map shows). A unit's own point lies in its own territory,
    so the name lands on its side of the line; a middle of several points would not, the line
    being an arc."""
    nearest: dict[str, tuple[float, tuple[float, float]]] = {}
    for unit in units:
        point = _point(unit)
        if point is None:
            continue
        distance = (point[0] - near[0]) ** 2 + (point[1] - near[1]) ** 2
        if unit.country not in nearest or distance < nearest[unit.country][0]:
            nearest[unit.country] = (distance, point)
    return [
        {"name": str(Country(code).label), "lon": lon, "lat": lat, "country": code}
        for code, (_d, (lon, lat)) in sorted(nearest.items())
    ]


def middle(coordinates: Iterable[Any]) -> tuple[float, float] | None:
    points = [(float(c[0]), float(c[1])) for c in coordinates]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def units_near(
    bbox: tuple[float, float, float, float], day: datetime.date, kinds: Iterable[str]
) -> list[Unit]:
    """Units of `kinds` valid on `day` whose point lies in (west, south, east, north)."""
    west, south, east, north = bbox
    found = []
    for unit in Unit.objects.valid_on(day).filter(kind__in=list(kinds)).exclude(geometry=None):
        point = _point(unit)
        if point and west <= point[0] <= east and south <= point[1] <= north:
            found.append(unit)
    return found


def bbox_of(coordinates: Iterable[tuple[float, float]], margin: float = 0.0) -> tuple[float, ...]:
    points = list(coordinates)
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return (min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin)
