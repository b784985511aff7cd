"""The border gates the portal shows, and their pairs on the other side.

The one place the portal looks gates up: the gate register of `borderlink.border` (a `Gate`
per gazetteer unit, with its type and the gate facing it), our side's gates under the site's
unit. A gate unit not (yet) in the register is not shown: the register is where a gate's type
and pair are kept, with their source.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from borderlink.border.choices import GateKind
from borderlink.border.models import Gate
from borderlink.core.models import Source
from borderlink.places.choices import UnitKind
from borderlink.places.models import Unit
from borderlink.portal.models import PublicSite


@dataclass
class PublicGate:
    unit: Unit
    category: str = ""
    pair: Unit | None = None
    location: list[Unit] = field(default_factory=list)
    pair_location: list[Unit] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def category_label(self) -> str:
        return str(GateKind(self.category).label) if self.category else ""

    @property
    def recorded_until(self) -> datetime.date | None:
        return self.unit.valid_to

    @property
    def source(self) -> Source | None:
        return self.unit.source


def _territorial(units: list[Unit]) -> list[Unit]:
    """The places around a unit, nearest first, without the country."""
    skip = {UnitKind.COUNTRY}
    return [u for u in reversed(units) if u.kind not in skip]


def public_gates(site: PublicSite) -> list[PublicGate]:
    gates = (
        Gate.objects.filter(unit__path__startswith=site.unit.path)
        .select_related("unit__source", "counterpart__unit__source")
        .order_by("unit__code")
    )
    out = []
    for gate in gates:
        pair = gate.counterpart.unit if gate.counterpart else None
        out.append(
            PublicGate(
                unit=gate.unit,
                category=gate.kind,
                pair=pair,
                location=_territorial(gate.unit.ancestors()),
                pair_location=_territorial(pair.ancestors()) if pair else [],
            )
        )
    return out


def find_gate(site: PublicSite, code: str) -> PublicGate | None:
    return next((g for g in public_gates(site) if g.code == code), None)
