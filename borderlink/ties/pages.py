"""What a partnership's and a mechanism's pages add to the register's detail page
(`Register.detail_extra`): the activities under the tie, counted and latest first, the totals
its units declared to each other in returns, and the way to record the next one ("record a
meeting" opens the ledger's new-activity form with the mechanism filled in).

The ledger's records are read through the register registry (registers/spec.py), not imported:
the domain apps do not import each other (CONTRIBUTING.md, "Layers"), and the ledger is the one
that links to ties.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from borderlink.core.permissions import can_at_all, restrict
from borderlink.registers.spec import get_register
from borderlink.ties.models import Mechanism, Partnership

LATEST = 10


def _new_activity(user: Any, **values: str) -> str:
    """The ledger's new-activity form with `values` filled in, if the user may add activities."""
    spec = get_register("activities")
    if not can_at_all(user, spec.model, "add"):
        return ""
    filled = {k: v for k, v in values.items() if v and k in spec.fields}
    return reverse("registers:new", args=[spec.slug]) + "?" + urlencode(filled)


def _only(units: list[Any]) -> str:
    """The code of the one unit of a side, for the form's counterpart; none when several."""
    return units[0].code if len(units) == 1 else ""


def _activities(related: Any, user: Any) -> dict[str, Any]:
    visible = restrict(related.all(), user, "view").order_by("-occurred_on", "-pk")
    return {"tie_total": visible.count(), "tie_latest": list(visible[:LATEST])}


def partnership_extra(obj: Partnership, user: Any) -> dict[str, Any]:
    theirs = list(obj.their_units.all())
    # A return's kind is the ledger's activity kind where it counts one (letters, talks…).
    kind: Any = get_register("activities").model._meta.get_field("kind")
    kinds = {str(code): str(label) for code, label in kind.flatchoices}
    ours = list(obj.our_units.all())
    returns: Any = get_register("returns").model._default_manager.filter(
        home_unit__in=ours, counterpart__in=theirs
    )
    return {
        "extra_template": "ties/_partnership_detail.html",
        **_activities(obj.activities, user),
        "tie_returns": [
            (ret, kinds.get(ret.kind, ret.kind))
            for ret in restrict(returns, user, "view").select_related("home_unit", "counterpart")
        ],
        "tie_new": _new_activity(
            user,
            partnership=str(obj.pk),
            counterpart=_only(theirs),
            diplomacy=obj.diplomacy,
            home_unit=_only(ours),
        ),
    }


def mechanism_extra(obj: Mechanism, user: Any) -> dict[str, Any]:
    return {
        "extra_template": "ties/_mechanism_detail.html",
        **_activities(obj.meetings, user),
        "tie_new": _new_activity(
            user,
            kind="meeting",
            mechanism=obj.code,
            counterpart=_only(list(obj.their_members.all())),
            diplomacy=obj.diplomacy,
        ),
    }
