"""Who is recording, and for which units: the defaults of every form, sheet and home page.

An officer records for the units their roles act on today (accounts/reach.py): their own unit
while it exists, or the units that hold it after a reform (a role at the abolished Vị Xuyên
district records for the communes that took its territory).
"""

from __future__ import annotations

import datetime
from typing import Any

from borderlink.accounts.reach import acts_on
from borderlink.places.models import Unit


def home_units(user: Any, day: datetime.date) -> list[Unit]:
    """The units the user records for on `day`, their own first, border units before others."""
    if not getattr(user, "is_authenticated", False):
        return []
    found: dict[int, Unit] = {}
    for membership in user.memberships_read():
        units = acts_on(membership, day)
        for unit in sorted(units, key=lambda u: (not u.is_border, u.code)):
            found.setdefault(unit.pk, unit)
    return list(found.values())


def default_home_unit(user: Any, day: datetime.date) -> Unit | None:
    units = home_units(user, day)
    return units[0] if units else None
