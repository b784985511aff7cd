"""What a map needs around its own features to be read without a tile server: the names of the
places in view in the page's language, and each side of the line named where it lies.

The gazetteer holds a point per unit (no outlines): names are written at those points, and a
side's name beside the line on the side where that country's nearest unit lies, so "Việt Nam"
and "中国" land on their sides of the line at any zoom.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language

from borderlink.places.choices import Country, UnitKind
from borderlink.places.models import Unit

Box = tuple[float, float, float, float]  # west, south, east, north

# The levels whose names orient a reader of a border map: provinces on both sides, our
# districts and their prefectures (a Chinese county is a "district" in the gazetteer).
ORIENTING_KINDS = (UnitKind.PROVINCE, UnitKind.PREFECTURE)
# The units that tell which side of the line is whose, down to the communes and counties near it.
SIDE_KINDS = (*ORIENTING_KINDS, UnitKind.DISTRICT, UnitKind.COMMUNE)


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


def sides(units: Iterable[Unit], line: list[Any]) -> dict[str, Any]:
    """What map.js needs to name each side of `line` (its [lon, lat] points) wherever the map
    is moved: each country's name in the page's language and its units' points. The script
    writes a name beside the stretch of line nearest the middle of the view, on the side where
    that country's unit nearest to the stretch lies (a unit's own point is in its territory)."""
    points: dict[str, list[list[float]]] = {}
    for unit in units:
        point = _point(unit)
        if point is not None:
            points.setdefault(unit.country, []).append([round(point[0], 4), round(point[1], 4)])
    return {
        "line": [[round(float(c[0]), 4), round(float(c[1]), 4)] for c in line],
        "names": {code: str(Country(code).label) for code in sorted(points)},
        "points": points,
    }


def units_near(bbox: Box, day: datetime.date, kinds: Iterable[str]) -> list[Unit]:
    """Units of `kinds` valid on `day` whose point lies in (west, south, east, north)."""
    west, south, east, north = bbox
    found = []
    for unit in Unit.objects.valid_on(day).filter(kind__in=list(kinds)).exclude(geometry=None):
        point = _point(unit)
        if point and west <= point[0] <= east and south <= point[1] <= north:
            found.append(unit)
    return found


def bbox_of(coordinates: Iterable[Any], margin: float = 0.0) -> Box:
    """The box around [lon, lat] points, widened by `margin` degrees on every side."""
    points = [(float(c[0]), float(c[1])) for c in coordinates]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return (min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin)
