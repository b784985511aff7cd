"""The map's layers as GeoJSON, each feature linking to its record; only what the gate lets
the viewer see, and only positions that are recorded (an unknown position draws nothing)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from borderlink.border import geo
from borderlink.border.cap import parse_polygon
from borderlink.border.models import Alert, BorderSection, Gate, Incident, Marker
from borderlink.core.permissions import restrict
from borderlink.places.models import Unit

CONDITION_COLOURS = {
    "intact": "#2e7d32",
    "damaged": "#ef6c00",
    "moved": "#6a1b9a",
    "lost": "#c62828",
    "unknown": "#757575",
}
AGE_COLOURS = (  # (at most so many days since the last inspection, colour); never: grey
    (30, "#2e7d32"),
    (90, "#f9a825"),
    (10**9, "#c62828"),
)
NEVER = "#757575"


def _url(slug: str, pk: int) -> str:
    return reverse("registers:detail", args=[slug, pk])


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def age_colour(days: int | None) -> str:
    if days is None:
        return NEVER
    return next(colour for limit, colour in AGE_COLOURS if days <= limit)


def line_layer() -> dict[str, Any]:
    feature = dict(geo.boundary()["features"][0])
    length = geo.geodesic_length_km(feature["geometry"])
    # In the page's number format: "1.050,5" in Vietnamese, "1,050.5" in English.
    km = number_format(round(length, 1), 1, use_l10n=True, force_grouping=True) if length else "?"
    feature["properties"] = {
        "name": _("Vietnam–China boundary (Natural Earth, generalised): %(km)s km") % {"km": km},
        "colour": "#37474f",
    }
    return _collection([feature])


def section_layer(user: Any) -> dict[str, Any]:
    features = []
    for section in restrict(BorderSection.objects.all(), user, "view"):
        if not section.geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": section.geometry,
                "properties": {
                    "name": str(section),
                    "url": _url("border-sections", section.pk),
                    "colour": "#d32f2f" if section.part_of_id else "#37474f",
                },
            }
        )
    return _collection(features)


def marker_layer(user: Any, today: datetime.date) -> tuple[dict[str, Any], int]:
    features, unplaced = [], 0
    for marker in restrict(Marker.objects.all(), user, "view").order_by("number"):
        if not marker.has_position:
            unplaced += 1
            continue
        days = marker.days_since_inspection(today)
        features.append(
            geo.point_feature(
                marker.longitude,
                marker.latitude,
                {
                    "name": f"{marker} · {marker.get_condition_display()}",
                    "url": _url("markers", marker.pk),
                    "id": f"marker-{marker.pk}",
                    "kind": "marker",
                    "fills": {
                        "condition": CONDITION_COLOURS.get(marker.condition, NEVER),
                        "age": age_colour(days),
                    },
                    "fill": CONDITION_COLOURS.get(marker.condition, NEVER),
                },
            )
        )
    return _collection(features), unplaced


def gate_layer(user: Any) -> dict[str, Any]:
    features: list[dict[str, Any]] = []
    gates = list(restrict(Gate.objects.select_related("unit", "counterpart"), user, "view"))
    placed = {g.pk: g for g in gates if g.latitude is not None}
    for gate in placed.values():
        features.append(
            geo.point_feature(
                gate.longitude,
                gate.latitude,
                {
                    "name": f"{gate} · {gate.get_kind_display()}",
                    "url": _url("gates", gate.pk),
                    "fill": "#1565c0",
                    "radius": 9,
                },
            )
        )
        other = placed.get(gate.counterpart_id or 0)
        if other is not None and gate.pk < other.pk:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [
                            [float(gate.longitude), float(gate.latitude)],
                            [float(other.longitude), float(other.latitude)],
                        ],
                    },
                    "properties": {"name": f"{gate} – {other}", "url": _url("gates", gate.pk)},
                }
            )
    return _collection(features)


def station_layer(user: Any) -> tuple[dict[str, Any], int]:
    features, unplaced = [], 0
    for unit in restrict(Unit.objects.filter(kind="border_station"), user, "view"):
        geometry = unit.geometry or {}
        if geometry.get("type") != "Point":
            unplaced += 1
            continue
        lon, lat = geometry["coordinates"][:2]
        features.append(
            geo.point_feature(
                lon,
                lat,
                {
                    "name": str(unit),
                    "url": reverse("places:detail", args=[unit.code]),
                    "fill": "#00838f",
                },
            )
        )
    return _collection(features), unplaced


def incident_layer(user: Any) -> dict[str, Any]:
    features = []
    qs = restrict(Incident.objects.select_related("marker"), user, "view")
    for incident in qs.filter(status="open"):
        lat, lon = incident.latitude, incident.longitude
        if lat is None and incident.marker is not None and incident.marker.has_position:
            lat, lon = incident.marker.latitude, incident.marker.longitude
        if lat is None or lon is None:
            continue
        features.append(
            geo.point_feature(
                lon,
                lat,
                {
                    "name": str(incident),
                    "url": _url("incidents", incident.pk),
                    "fill": "#b71c1c",
                    "radius": 11,
                },
            )
        )
    return _collection(features)


def alert_layer(user: Any, now: datetime.datetime) -> dict[str, Any]:
    features = []
    for alert in restrict(Alert.objects.all(), user, "view"):
        if not alert.is_active(now) or not alert.polygon.strip():
            continue
        try:
            ring = [[lon, lat] for lat, lon in parse_polygon(alert.polygon)]
        except ValueError:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "name": str(alert),
                    "url": _url("alerts", alert.pk),
                    "fill": "#ffb300",
                },
            }
        )
    return _collection(features)
