"""Set a border section's line from a GeoJSON file (a geometry, Feature or FeatureCollection).

    borderlink section-line vn-cn-ha-giang surveyed-line.geojson

The line is checked first (LineString or MultiLineString of [longitude, latitude] pairs);
the section's change history records the change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from borderlink.border import geo
from borderlink.border.models import BorderSection
from borderlink.core.context import acting_as


def _geometry(document: dict[str, Any]) -> Any:
    if document.get("type") == "FeatureCollection":
        features = document.get("features") or []
        if len(features) != 1:
            raise CommandError("the collection must hold exactly one feature")
        document = features[0]
    if document.get("type") == "Feature":
        return document.get("geometry")
    return document


class Command(BaseCommand):
    help = "Set a border section's line from a GeoJSON file and print its geodesic length."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("section", help="the section's code")
        parser.add_argument("file", type=Path)
        parser.add_argument("--note", default="", help="where the line comes from")

    def handle(self, *args: Any, **options: Any) -> None:
        section = BorderSection.objects.filter(code=options["section"]).first()
        if section is None:
            raise CommandError(f"no section with the code {options['section']!r}")
        try:
            document = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read {options['file']}: {error}") from error
        geometry = _geometry(document)
        if geo.check_line(geometry) is not None:
            raise CommandError("not a LineString or MultiLineString of [longitude, latitude] pairs")
        with acting_as(None, reason="section-line"), transaction.atomic():
            section.geometry = geometry
            if options["note"]:
                section.geometry_note = options["note"]
            section.save()
        length = geo.geodesic_length_km(geometry) or 0.0
        official = section.official_length_km
        ratio = (
            f" ({length / float(official):.1%} of the official {official} km)" if official else ""
        )
        self.stdout.write(f"{section.code}: {length:.3f} km geodesic{ratio}")
