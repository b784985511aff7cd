"""The border gates the portal shows, and their pairs on the other side.

The one place the portal looks gates up. Today a gate is a gazetteer unit of kind
"border_gate" under the site's unit, and its pair and category come from the site's
`gate_pairs` (the seeds name them: Thanh Thủy – Tianbao, international; Xín Mần – Dulong,
bilateral). When the gate register of `borderlink.border` holds pairs and categories, only
`public_gates()` changes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from borderlink.core.models import Source
from borderlink.places.choices import UnitKind
from borderlink.places.models import Unit
from borderlink.portal.models import PublicSite

CATEGORIES = {
    "international": _("International border gate"),
    "bilateral": _("Bilateral border gate"),
    "crossing": _("Crossing way"),
}


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
        return str(CATEGORIES.get(self.category, ""))

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
    pairs = {
        str(p.get("gate")): p
        for p in site.gate_pairs or []
        if isinstance(p, dict) and p.get("gate")
    }
    gates = list(
        Unit.objects.filter(kind=UnitKind.BORDER_GATE, path__startswith=site.unit.path)
        .select_related("source")
        .order_by("code")
    )
    pair_codes = [
        str(pairs[g.code].get("pair")) for g in gates if pairs.get(g.code, {}).get("pair")
    ]
    pair_units = {
        u.code: u
        for u in Unit.objects.filter(code__in=pair_codes, kind=UnitKind.BORDER_GATE).select_related(
            "source"
        )
    }
    out = []
    for gate in gates:
        declared = pairs.get(gate.code, {})
        pair = pair_units.get(str(declared.get("pair", "")))
        out.append(
            PublicGate(
                unit=gate,
                category=str(declared.get("category", "")),
                pair=pair,
                location=_territorial(gate.ancestors()),
                pair_location=_territorial(pair.ancestors()) if pair else [],
            )
        )
    return out


def find_gate(site: PublicSite, code: str) -> PublicGate | None:
    return next((g for g in public_gates(site) if g.code == code), None)
