"""Geometry of the border line: geodesic lengths on the WGS 84 ellipsoid, clipping, positions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from pyproj import Geod

DATA = Path(__file__).parent / "data"
BOUNDARY_FILE = DATA / "vn-cn-boundary.geojson"

Coord = Sequence[float]
_GEOD = Geod(ellps="WGS84")


def lines_of(geometry: dict[str, Any] | None) -> list[list[Coord]]:
    """The lines of a LineString or MultiLineString (GeoJSON: longitude, latitude)."""
    if not geometry:
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "LineString":
        return [coords]
    if kind == "MultiLineString":
        return list(coords)
    return []


def geodesic_length_km(geometry: dict[str, Any] | None) -> float | None:
    """The length along the ellipsoid (pyproj's Karney geodesics), or None without a line."""
    lines = [line for line in lines_of(geometry) if len(line) >= 2]
    if not lines:
        return None
    metres = sum(
        _GEOD.line_length([float(p[0]) for p in line], [float(p[1]) for p in line])
        for line in lines
    )
    return metres / 1000


def check_line(geometry: Any) -> str | None:
    """Why a value is not a usable line (an error text key), or None when it is one."""
    if not isinstance(geometry, dict) or geometry.get("type") not in (
        "LineString",
        "MultiLineString",
    ):
        return "type"
    for line in lines_of(geometry):
        if not isinstance(line, list) or len(line) < 2:
            return "short"
        for point in line:
            if (
                not isinstance(point, list | tuple)
                or len(point) < 2
                or not all(isinstance(v, int | float) for v in point[:2])
                or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
            ):
                return "point"
    return None


def _edge(a: Coord, b: Coord, bounds: tuple[float, float, float, float]) -> list[float]:
    """Where the segment from a (inside) to b (outside) leaves the box (linear in degrees)."""
    south, west, north, east = bounds
    t = 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for limit, start, delta in ((west, a[0], dx), (east, a[0], dx)):
        if delta and not (west <= b[0] <= east):
            s = (limit - start) / delta
            if 0 <= s <= t:
                t = s
    for limit, start, delta in ((south, a[1], dy), (north, a[1], dy)):
        if delta and not (south <= b[1] <= north):
            s = (limit - start) / delta
            if 0 <= s <= t:
                t = s
    return [round(a[0] + t * dx, 6), round(a[1] + t * dy, 6)]


def clip_to_bounds(
    line: list[Coord], bounds: tuple[float, float, float, float]
) -> list[list[float]]:
    """The longest run of the line inside a box (south, west, north, east), cut at its edges."""
    south, west, north, east = bounds

    def inside(p: Coord) -> bool:
        return west <= p[0] <= east and south <= p[1] <= north

    runs: list[tuple[int, int]] = []
    start = None
    for i, p in enumerate(line):
        if inside(p) and start is None:
            start = i
        elif not inside(p) and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(line) - 1))
    if not runs:
        return []
    first, last = max(runs, key=lambda r: r[1] - r[0])
    piece = [[float(p[0]), float(p[1])] for p in line[first : last + 1]]
    if first > 0:
        piece.insert(0, _edge(line[first], line[first - 1], bounds))
    if last < len(line) - 1:
        piece.append(_edge(line[last], line[last + 1], bounds))
    return piece


@cache
def boundary() -> dict[str, Any]:
    """The committed Vietnam–China line (Natural Earth via world-atlas; docs/data-sources.md)."""
    return json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))


def boundary_geometry() -> dict[str, Any]:
    return boundary()["features"][0]["geometry"]


def dms(degrees: int, minutes: int, seconds: float | Decimal) -> Decimal:
    """22°56'12.727" as decimal degrees, to 8 places (about a millimetre)."""
    value = Decimal(degrees) + Decimal(minutes) / 60 + Decimal(str(seconds)) / 3600
    return value.quantize(Decimal("0.00000001"))


def point_feature(lon: Any, lat: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
        "properties": properties,
    }
