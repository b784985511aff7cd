"""The workflow of a delegation: proposed → approved → under way → reported.

    proposed  → approved    every approval it needs is recorded as given
    approved  → proposed    back for revision
    proposed, approved → cancelled
    approved  → under way   members named; an outgoing delegation's travel documents issued.
                            From here on it is an entry of the ledger (ledger_link.py).
    under way → reported    the outcome report is written
    reported  → under way   to correct the report

Every move is a `DelegationStep`; moves need "change" on the delegation (the gate's, on its
unit). The move, the step and the ledger entry are one transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.core.permissions import AnyUser, can
from borderlink.delegations.choices import DocumentsStatus, Status, Way
from borderlink.delegations.models import Delegation, DelegationStep

MOVES: dict[tuple[str, str], str] = {
    (Status.PROPOSED, Status.APPROVED): "change",
    (Status.APPROVED, Status.PROPOSED): "change",
    (Status.PROPOSED, Status.CANCELLED): "change",
    (Status.APPROVED, Status.CANCELLED): "change",
    (Status.APPROVED, Status.UNDER_WAY): "change",
    (Status.UNDER_WAY, Status.REPORTED): "change",
    (Status.REPORTED, Status.UNDER_WAY): "change",
}


class WorkflowError(ValueError):
    pass


def moves_for(user: AnyUser, delegation: Delegation) -> list[str]:
    """The states the user may move the delegation to now."""
    return [
        to
        for (source, to), action in MOVES.items()
        if source == delegation.status and can(user, action, delegation)
    ]


def problems(delegation: Delegation, to: str) -> list[str]:
    """Why the delegation cannot move to `to` yet (empty when it can)."""
    found: list[str] = []
    if to == Status.APPROVED:
        approvals = list(delegation.approvals.all())
        if not approvals:
            found.append(_("Record the approvals the delegation needs before approving it."))
        pending = [str(a) for a in approvals if a.given_on is None]
        if pending:
            found.append(_("Approvals not given yet: %(list)s.") % {"list": ", ".join(pending)})
    elif to == Status.UNDER_WAY:
        if not delegation.members.exists():
            found.append(_("Name the members of the delegation first."))
        if (
            delegation.way == Way.OUTGOING
            and delegation.channel == "in_person"
            and delegation.documents_status == DocumentsStatus.PENDING
        ):
            found.append(_("The travel documents are still being prepared."))
    elif to == Status.REPORTED and not delegation.report.strip():
        found.append(_("Write the outcome report first."))
    return found


@transaction.atomic
def move(delegation: Delegation, to: str, user: Any = None, note: str = "") -> DelegationStep:
    """Move `delegation` to `to`; `user` None means a trusted caller (a command, the demo)."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    source = delegation.status
    action = MOVES.get((source, to))
    if action is None:
        raise WorkflowError(
            _("A delegation that is %(state)s cannot become %(to)s.")
            % {"state": Status(source).label, "to": Status(to).label}
        )
    if user is not None and not can(user, action, delegation):
        raise WorkflowError(_("You may not change this delegation."))
    found = problems(delegation, to)
    if found:
        raise WorkflowError(" ".join(found))
    delegation.status = to
    if to == Status.REPORTED and delegation.reported_on is None:
        delegation.reported_on = timezone.localdate()
    delegation.save()  # writes or updates the ledger entry from "under way" on
    return DelegationStep.objects.create(
        delegation=delegation,
        from_state=source,
        to_state=to,
        actor=user if user is not None and user.is_authenticated else None,
        note=note[:500],
    )
