"""What the public may see: the one place every public page, feed, sitemap and map asks.

- Articles: only versions in the state "published".
- Ledger activities: only those of sensitivity "public" (the clearance of a visitor who is not
  logged in, core.permissions.clearance), and only their date, kind, title and counterpart.
- Partnerships: those kept by units inside the site's unit, with the facts listed here (never
  their notes or quotations).
- Agreements: only through the figures, and only their titles, numbers, levels and dates (never
  signatories, notes or attached texts).
- Units: names from the gazetteer (reference data), never notes.
- Gates: see portal.gates.
Nothing here reads a user, a session, a change record or a personal-data register.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from borderlink.core import cache_versions
from borderlink.core.choices import Sensitivity
from borderlink.core.permissions import clearance
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.portal.gates import PublicGate
from borderlink.portal.models import ArticleVersion, PublicSite
from borderlink.reports.compose import unit_name
from borderlink.ties.models import Partnership

PUBLIC = int(Sensitivity.PUBLIC)
assert clearance(AnonymousUser()) == PUBLIC, "the public clearance must be the anonymous one"

SITE_SECONDS = 5
_site_cache: dict[str, tuple[float, int, PublicSite | None]] = {}


def site() -> PublicSite | None:
    """The portal's settings, read at most every SITE_SECONDS per process, and at once after a
    change through any server (the shared `portal` version, core/cache_versions.py)."""
    now = time.monotonic()
    version = cache_versions.current("portal")
    hit = _site_cache.get("site")
    if hit is not None and now - hit[0] < SITE_SECONDS and hit[1] == version:
        return hit[2]
    found = PublicSite.objects.select_related("unit").order_by("pk").first()
    _site_cache["site"] = (now, version, found)
    return found


def forget_site() -> None:
    _site_cache.clear()


def published(lang: str | None = None) -> QuerySet[ArticleVersion]:
    qs = ArticleVersion.objects.published().select_related("article", "article__source")
    if lang is not None:
        qs = qs.filter(lang=lang)
    return qs


def activities(qs: QuerySet[Activity] | None = None) -> QuerySet[Activity]:
    base = Activity.objects.all() if qs is None else qs
    return base.filter(sensitivity__lte=PUBLIC).select_related("counterpart", "home_unit")


def partnerships(s: PublicSite) -> QuerySet[Partnership]:
    return (
        Partnership.objects.filter(home_unit__path__startswith=s.unit.path)
        .select_related("programme", "source")
        .prefetch_related(
            Prefetch("our_units", queryset=Unit.objects.order_by("code")),
            Prefetch("their_units", queryset=Unit.objects.order_by("code")),
        )
        .order_by("kind", "started_on", "pk")
    )


def partnership_title(p: Partnership, lang: str) -> str:
    """A partnership named from the gazetteer in `lang`: "Hà Giang – Yunnan"."""
    ours = ", ".join(unit_name(u, lang) for u in p.our_units.all())
    theirs = ", ".join(unit_name(u, lang) for u in p.their_units.all())
    return f"{ours} – {theirs}"


def _point(unit: Unit | None) -> tuple[dict[str, Any] | None, bool]:
    """The unit's own point, else the nearest ancestor's (approximate), else None."""
    seen = 0
    while unit is not None and seen < 8:
        geometry = unit.geometry
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            return geometry, seen > 0
        unit = unit.parent
        seen += 1
    return None, False


GATE_COLOUR = "#a4161a"
PARTNER_COLOUR = "#0b5ed7"


def border_line(around: list[list[float]], margin: float = 0.6) -> dict[str, Any] | None:
    """The stretch of the border line near the given points (longest run of the line inside
    their bounding box, widened by `margin` degrees), when borderlink.border has the line."""
    if not around:
        return None
    try:
        from borderlink.border.geo import boundary_geometry

        geometry = boundary_geometry()
    except Exception:  # the line is a nicety of the map; its absence must not stop the page
        return None
    if not isinstance(geometry, dict) or geometry.get("type") != "LineString":
        return None
    west = min(p[0] for p in around) - margin
    east = max(p[0] for p in around) + margin
    south = min(p[1] for p in around) - margin
    north = max(p[1] for p in around) + margin
    best: list[list[float]] = []
    run: list[list[float]] = []
    for lon, lat, *_rest in geometry.get("coordinates", []):
        if west <= lon <= east and south <= lat <= north:
            run.append([lon, lat])
            if len(run) > len(best):
                best = run
        else:
            run = []
    return {"type": "LineString", "coordinates": best} if len(best) > 1 else None


def map_features(
    s: PublicSite, lang: str, url_lang: str, gates: list[PublicGate], ties: list[Partnership]
) -> dict[str, Any]:
    """GeoJSON of the public layers: the line, the gates and their pairs, partnered units."""
    features: list[dict[str, Any]] = []
    for gate in gates:
        for unit in (gate.unit, gate.pair):
            point, approximate = _point(unit)
            if unit is None or point is None:
                continue
            name = unit_name(unit, lang)
            if approximate:
                name = _("%(name)s (approximate position)") % {"name": name}
            features.append(
                {
                    "type": "Feature",
                    "geometry": point,
                    "properties": {
                        "name": name,
                        "url": reverse("portal:gate", args=[url_lang, gate.code]),
                        "fill": GATE_COLOUR,
                        "main": True,
                    },
                }
            )
    placed: set[int] = set()
    for tie in ties:
        for unit in [*tie.our_units.all(), *tie.their_units.all()]:
            point, _approximate = _point(unit) if unit.geometry else (None, False)
            if point is None or unit.pk in placed:
                continue
            placed.add(unit.pk)
            features.append(
                {
                    "type": "Feature",
                    "geometry": point,
                    "properties": {
                        "name": unit_name(unit, lang),
                        "url": reverse("portal:partnership", args=[url_lang, tie.pk]),
                        "fill": PARTNER_COLOUR,
                    },
                }
            )
    line = border_line([f["geometry"]["coordinates"] for f in features])
    if line:
        features.insert(
            0,
            {
                "type": "Feature",
                "geometry": line,
                "properties": {
                    "name": _("Border line"),
                    "url": reverse("portal:gates", args=[url_lang]),
                },
            },
        )
    return {"type": "FeatureCollection", "features": features}


def year_of(day: datetime.date | None) -> str:
    """Seeds often give only a year, entered as 1 January: the public page says only the year
    (as text: a year takes no thousands separator)."""
    return str(day.year) if day else ""


LAYERS_SECONDS = 600


def layers(s: PublicSite, lang: str, url_lang: str) -> dict[str, Any]:
    """The home page's map and the lists beside it, kept a while (gazetteer and ties change
    rarely; a publication starts a new generation)."""
    from django.core.cache import cache

    from borderlink.portal.gates import public_gates

    version = cache_versions.current("portal")
    key = f"portal:layers:{s.pk}:{s.generation}:{version}:{url_lang}"
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        gates = public_gates(s)
        ties = list(partnerships(s))
        found = {
            "gates": gates,
            "ties": [(t.pk, partnership_title(t, lang)) for t in ties],
            "geojson": map_features(s, lang, url_lang, gates, ties),
        }
        cache.set(key, found, LAYERS_SECONDS)
    return found
