"""Where a membership reaches on a given day, through the reform.

A membership is held at one unit. Its reach is that unit's subtree (its own records, whatever
happened to the unit since) and, for today's work, the units it acts on today with everything
that rolled into them (places.scope): a role at today's Tuyên Quang also reaches the records of
old Hà Giang; a role at old Hà Giang, which ended on 30/06/2025, acts on today's Tuyên Quang, the
unit that holds it now (or only on the holders an administrator chose, `Membership.acts_on`).
The gate (core/permissions.py) reads a user's reaches through `User.reaches_on`.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from borderlink.core.reach import Reach
from borderlink.places.lineage import holders_on
from borderlink.places.models import Unit
from borderlink.places.scope import resolve

if TYPE_CHECKING:
    from borderlink.accounts.models import Membership


def acts_on(membership: Membership, day: datetime.date) -> list[Unit]:
    """The units valid on `day` the membership records for: its own unit while it exists, else
    the units that hold it (narrowed by an administrator where they chose some)."""
    unit = membership.unit
    if unit.is_valid_on(day):
        return [unit]
    chosen = [u for u in membership.acts_on.all() if u.is_valid_on(day)]
    return chosen or holders_on(unit, day)


def reach_of(membership: Membership, day: datetime.date) -> Reach:
    plus: list[str] = []
    minus: list[str] = []
    for unit in acts_on(membership, day):
        scope = resolve(unit, day)
        plus += [u.path for u in scope.plus]
        minus += [u.path for u in scope.minus]
    return Reach(
        own=membership.unit.path,
        plus=tuple(dict.fromkeys(plus)),
        minus=tuple(dict.fromkeys(minus)),
    )
