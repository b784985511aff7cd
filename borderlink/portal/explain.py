"""What an indicator counts, said in words for the public."""

from __future__ import annotations

from django.utils.translation import gettext as _

from borderlink.ledger.models import ActivityKind
from borderlink.places.choices import UnitKind
from borderlink.stats.indicators import Indicator
from borderlink.ties.models import Agreement


def describe(ind: Indicator) -> str:
    if ind.rule == "ledger":
        measure = {
            "records": _("the number of recorded activities"),
            "times": _("the number of times"),
            "persons": _("the number of persons"),
            "value": _("the value in %(currency)s") % {"currency": ind.currency},
            "quantity": _("the quantity"),
        }[ind.measure]
        kinds = ", ".join(str(ActivityKind(k).label) for k in ind.kinds if k in ActivityKind)
        return _(
            "Adds up %(measure)s of the activities of these kinds: %(kinds)s. Totals that units "
            "reported for earlier periods are added, and an activity such a total already "
            "includes is not counted again. Only records open to the public count."
        ) % {"measure": measure, "kinds": kinds}
    if ind.rule == "units":
        kind = str(UnitKind(ind.unit_kind).label) if ind.unit_kind in UnitKind else ind.unit_kind
        if ind.border_only:
            return _("Counts the border units of this kind that existed on the date: %(kind)s.") % {
                "kind": kind
            }
        return _("Counts the units of this kind that existed on the date: %(kind)s.") % {
            "kind": kind
        }
    if ind.rule == "agreements":
        level = str(Agreement.Level(ind.level).label) if ind.level in Agreement.Level else ""
        return _("Counts the agreements at the level “%(level)s” in force on the date.") % {
            "level": level
        }
    if ind.rule == "coverage":
        return _(
            "How many of the units concerned had a partnership or an agreement in force on the "
            "date, out of all of them."
        )
    if ind.rule == "since":
        return _("The year of the earliest partnership of this kind that is still in force.")
    return _("The figure the province reported; its source is given below.")
