"""Extract the Vietnam–China boundary from world-atlas (Natural Earth) TopoJSON as GeoJSON.

Run once, commit the output (borderlink/border/data/vn-cn-boundary.geojson):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/world_atlas_border.py package/countries-10m.json \
        borderlink/border/data/vn-cn-boundary.geojson

The shared boundary is the set of arcs that both countries' geometries use (ISO 3166 numeric
ids 704 and 156). TopoJSON stores each arc once, delta-encoded and quantised; this decodes them
and joins the shared arcs end to end into as few lines as they make. Standard library only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

VIETNAM, CHINA = "704", "156"
Point = tuple[float, float]


def _arc_indexes(geometry: dict[str, Any]) -> set[int]:
    """Every arc a (multi)polygon uses, by its index (~i, a reversed arc, is arc i)."""
    found: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, int):
            found.add(node if node >= 0 else ~node)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(geometry.get("arcs", []))
    return found


def _decode(topology: dict[str, Any], index: int) -> list[Point]:
    transform = topology.get("transform")
    arc = topology["arcs"][index]
    if not transform:
        return [(float(x), float(y)) for x, y in arc]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    points = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        points.append((round(x * sx + tx, 6), round(y * sy + ty, 6)))
    return points


def _join(lines: list[list[Point]]) -> list[list[Point]]:
    """Join lines that share an end point, reversing where needed, until none can be joined."""
    pending = [list(line) for line in lines]
    joined: list[list[Point]] = []
    while pending:
        current = pending.pop(0)
        grew = True
        while grew:
            grew = False
            for i, other in enumerate(pending):
                if current[-1] == other[0]:
                    current += other[1:]
                elif current[-1] == other[-1]:
                    current += other[::-1][1:]
                elif current[0] == other[-1]:
                    current = other + current[1:]
                elif current[0] == other[0]:
                    current = other[::-1] + current[1:]
                else:
                    continue
                pending.pop(i)
                grew = True
                break
        joined.append(current)
    return joined


def extract(topology: dict[str, Any]) -> dict[str, Any]:
    countries = topology["objects"]["countries"]["geometries"]
    by_id = {str(g.get("id")): g for g in countries}
    shared = sorted(_arc_indexes(by_id[VIETNAM]) & _arc_indexes(by_id[CHINA]))
    if not shared:
        raise SystemExit("no shared arcs between 704 and 156")
    lines = _join([_decode(topology, i) for i in shared])
    # West to east, as the markers are numbered.
    lines = [line if line[0][0] <= line[-1][0] else line[::-1] for line in lines]
    lines.sort(key=lambda line: line[0][0])
    geometry: dict[str, Any] = (
        {"type": "LineString", "coordinates": lines[0]}
        if len(lines) == 1
        else {"type": "MultiLineString", "coordinates": lines}
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "name": "Vietnam–China boundary",
                    "countries": ["VN", "CN"],
                    "source": "Natural Earth 4.1.0 via npm world-atlas 2.0.2 (countries-10m.json)",
                    "licence": "public domain (Natural Earth); world-atlas ISC",
                    "arcs": shared,
                },
                "geometry": geometry,
            }
        ],
    }


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit(__doc__)
    topology = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    result = extract(topology)
    Path(argv[2]).write_text(json.dumps(result, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
