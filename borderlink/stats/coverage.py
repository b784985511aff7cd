"""Coverage "X/Y": of the units of a kind valid on a date, how many have a tie in force.

Where the registry names the units, the figure is computed from it. Where a source gives only
the count (the seeds' "34/34 border communes", "12/12 stations"), the figure is the declared
return, shown as declared with its source — the missing units are never invented. It reads the
ties (partnerships in force) and the ledger (declared returns), so it lives in stats, above both.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.ledger.models import AggregateReturn
from borderlink.places.models import Unit
from borderlink.ties.models import Partnership


@dataclass
class CoverageRule:
    code: str
    label: object
    kind: str
    border_only: bool
    partnership_kinds: tuple[str, ...] = ()


RULES = [
    CoverageRule(
        "coverage.border_communes_paired",
        _("Border communes and towns paired"),
        "commune",
        True,
        ("residential", "commune_cluster"),
    ),
    CoverageRule(
        "coverage.stations_paired",
        _("Border-guard stations paired"),
        "border_station",
        False,
        ("station",),
    ),
    CoverageRule(
        "coverage.border_districts_paired",
        _("Border districts paired"),
        "district",
        True,
        ("district",),
    ),
]


@dataclass
class Coverage:
    rule: CoverageRule
    day: datetime.date
    within: Unit
    covered: list[Unit] = field(default_factory=list)
    uncovered: list[Unit] = field(default_factory=list)
    declared: AggregateReturn | None = None

    @property
    def computed(self) -> str:
        return f"{len(self.covered)}/{len(self.covered) + len(self.uncovered)}"

    @property
    def declared_figure(self) -> str:
        if self.declared is None:
            return ""
        value = int(self.declared.value)
        total = int(self.declared.denominator) if self.declared.denominator is not None else None
        return f"{value}/{total}" if total is not None else str(value)

    @property
    def registry_is_complete(self) -> bool:
        """The registry names as many units as the declared denominator counts."""
        if self.declared is None or self.declared.denominator is None:
            return True
        return len(self.covered) + len(self.uncovered) >= int(self.declared.denominator)


def evaluate(rule: CoverageRule, within: Unit, day: datetime.date) -> Coverage:
    candidates = Unit.objects.valid_on(day).within(within).filter(kind=rule.kind)
    if rule.border_only:
        candidates = candidates.filter(is_border=True)
    units = list(candidates.order_by("code"))
    in_force = Partnership.objects.filter(
        Q(started_on__isnull=True) | Q(started_on__lte=day),
        Q(ended_on__isnull=True) | Q(ended_on__gte=day),
    )
    if rule.partnership_kinds:
        in_force = in_force.filter(kind__in=rule.partnership_kinds)
    tied = set(in_force.values_list("our_units", flat=True))
    result = Coverage(rule, day, within)
    for unit in units:
        (result.covered if unit.pk in tied else result.uncovered).append(unit)
    result.declared = (
        AggregateReturn.objects.filter(
            kind=rule.code, home_unit__path__startswith=within.path, period_to__lte=day
        )
        .select_related("source")
        .order_by("-period_to")
        .first()
    )
    return result
