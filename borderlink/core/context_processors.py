from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def map_tiles(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}
    }
