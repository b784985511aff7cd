"""The demo's bodies of old Hà Giang (stations, gates, the geopark…) go on after 01/07/2025 under
the units that hold their old parents (places/reform.py), so today's work is recorded under
today's units."""

from __future__ import annotations

import datetime

from borderlink.places.reform import carry_over_all

REFORM_DAY = datetime.date(2025, 7, 1)
# Bodies whose old parent (an abolished district) went to several communes: where each stands.
NEW_PARENTS = {"VN-02-GATE-XINMAN": "VN-C01108-2025"}  # the gate is in Xín Mần commune


def load() -> dict[str, int]:
    carried, left = carry_over_all(REFORM_DAY, parents=NEW_PARENTS)
    if left:
        raise ValueError(f"demo units with no place after the reform: {[u.code for u in left]}")
    return {"carried over": len(carried)}
