"""How another app keeps a record of its own in the ledger: one entry, written in step.

The ledger is where every figure is counted (stats reads activities), so apps whose records are
also exchanges write an entry for them rather than being counted twice: people's registers
count as one entry per group of records (people/ledger_link.py), a delegation under way is one
entry (delegations/ledger_link.py). Each decides which entry stands for its record and which
fields it holds; how the entry is written is this one function, an extension point like
ledger.models (pyproject.toml's domain-apps contract allows people and delegations to use it).

Written in the caller's transaction: the statistics rollup, listening to activity saves, moves
with the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from borderlink.ledger.models import Activity


def keep_entry(
    entry: Activity | None,
    kind: str,
    wanted: Mapping[str, Any],
    *,
    created_with: Mapping[str, Any] | None = None,
) -> Activity:
    """Bring `entry` (or, when None, a new entry of `kind`) in step with `wanted`; return it.

    Saved only when new or when a field differs: an unchanged save would still move the rollup
    and write a line of history for nothing. `created_with` holds fields set on a new entry only,
    which the ledger's own users may change afterwards (a delegation counts as one exchange).
    """
    if entry is None:
        entry = Activity(kind=kind, **(created_with or {}))
    if entry.pk is None or any(getattr(entry, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(entry, name, value)
        entry.save()
    return entry
