"""Panels of a unit's page, filled by the apps that know about the unit (an extension point).

The gazetteer sits below the apps that record cooperation (ties, ledger…) and may not import
them (CONTRIBUTING.md, "Layers"). So places owns this registry and each app adds what it knows
in its own `unit_panels.py` (found when the app starts, as registers are): ties its counterparts,
partnerships, agreements and mechanisms, the ledger its recent activities and figures.

A panel builder gets the unit, the viewer and today, reads only what the gate lets the viewer
see, and returns a Panel (a template and its context) or None when it has nothing to show.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from borderlink.places.models import Unit


@dataclass
class Panel:
    key: str  # stable, for tests and anchors ("cooperation", "activities"…)
    title: str | Promise
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


Builder = Callable[[Unit, Any, datetime.date], Panel | None]

_builders: dict[str, tuple[int, Builder]] = {}


def unit_panel(key: str, order: int = 100) -> Callable[[Builder], Builder]:
    """Declares a builder of the panel `key` (lower `order` first); a second declaration under
    the same key replaces the first, so a module imported twice does not draw two panels."""

    def declare(builder: Builder) -> Builder:
        _builders[key] = (order, builder)
        return builder

    return declare


def panels_for(unit: Unit, user: Any, today: datetime.date) -> list[Panel]:
    drawn = []
    for key, (order, builder) in sorted(_builders.items(), key=lambda item: item[1][0]):
        panel = builder(unit, user, today)
        if panel is not None:
            panel.key, panel.order = key, order
            drawn.append(panel)
    return drawn


def declared() -> list[str]:
    return [key for key, _entry in sorted(_builders.items(), key=lambda item: item[1][0])]
