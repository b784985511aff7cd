"""A delegation that has happened is one entry of the ledger, kept in step with it.

The entry is written by ledger/links.keep_entry (as people's registers write theirs), in the
caller's transaction, so the statistics rollup (which listens to activity saves) moves with it:
a delegation and its figures are never out of step. Before "under way" there is no entry: a
proposal that never leaves counts for nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from borderlink.ledger.links import keep_entry
from borderlink.ledger.models import Activity, ActivityKind

if TYPE_CHECKING:
    from borderlink.delegations.models import Delegation

# Fields of the ledger entry copied from the delegation (entry field → delegation field).
COPIED = {
    "occurred_on": "starts_on",
    "ended_on": "ends_on",
    "title": "title",
    "home_unit_id": "home_unit_id",
    "counterpart_id": "counterpart_id",
    "partnership_id": "partnership_id",
    "agreement_id": "agreement_id",
    "mechanism_id": "mechanism_id",
    "channel": "channel",
    "diplomacy": "diplomacy",
    "direction": "way",
    "sensitivity": "sensitivity",
    "outcomes": "report",
    "source_id": "source_id",
    "source_quote": "source_quote",
}


@transaction.atomic
def sync(delegation: Delegation) -> Activity | None:
    """Create or update the delegation's ledger entry once it is under way; None before."""
    if not delegation.in_ledger or delegation.pk is None:
        return None
    current = (
        Activity.objects.filter(pk=delegation.activity_id).first()
        if delegation.activity_id
        else None
    )
    wanted = {name: getattr(delegation, source) for name, source in COPIED.items()}
    wanted["persons"] = delegation.members.count() or None
    activity = keep_entry(current, ActivityKind.DELEGATION, wanted, created_with={"count": 1})
    if delegation.activity_id != activity.pk:
        type(delegation).objects.filter(pk=delegation.pk).update(activity=activity)
        delegation.activity = activity
    return activity
