"""The workflow of a delegation: proposed → approved → under way → reported.

    proposed  → approved    every approval it needs is recorded as given
    approved  → proposed    back for revision
    proposed, approved → cancelled
    approved  → under way   members named; an outgoing delegation's travel documents issued.
                            From here on it is an entry of the ledger (ledger_link.py).
    under way → reported    the outcome report is written
    reported  → under way   to correct the report

Every move is a `DelegationStep`; moves need "change" on the delegation (the gate's, on its
unit). The move, the step and the ledger entry are one transaction. The machinery (the row lock,
the table, the refusals, the step) is core/workflow.py's; this module gives it the delegation's
table and checks.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderlink.core.permissions import AnyUser, can
from borderlink.core.workflow import Workflow, WorkflowError
from borderlink.delegations.choices import DocumentsStatus, Status, Way
from borderlink.delegations.models import Delegation, DelegationStep

__all__ = ["MOVES", "WORKFLOW", "WorkflowError", "move", "moves_for", "problems"]

MOVES: dict[tuple[str, str], str] = {
    (Status.PROPOSED, Status.APPROVED): "change",
    (Status.APPROVED, Status.PROPOSED): "change",
    (Status.PROPOSED, Status.CANCELLED): "change",
    (Status.APPROVED, Status.CANCELLED): "change",
    (Status.APPROVED, Status.UNDER_WAY): "change",
    (Status.UNDER_WAY, Status.REPORTED): "change",
    (Status.REPORTED, Status.UNDER_WAY): "change",
}


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


def _prepare(delegation: Delegation, source: str, to: str) -> None:
    found = problems(delegation, to)
    if found:
        raise WorkflowError(" ".join(found))
    if to == Status.REPORTED and delegation.reported_on is None:
        delegation.reported_on = timezone.localdate()
    # The save that follows writes or updates the ledger entry from "under way" on.


WORKFLOW: Workflow[Delegation, DelegationStep] = Workflow(
    model=Delegation,
    state_field="status",
    states=Status,
    moves=MOVES,
    may=can,
    step=DelegationStep,
    cannot_become=gettext_lazy("A delegation that is %(state)s cannot become %(to)s."),
    not_allowed=gettext_lazy("You may not change this delegation."),
    prepare=_prepare,
)


def moves_for(user: AnyUser, delegation: Delegation) -> list[str]:
    """The states the user may move the delegation to now."""
    return WORKFLOW.moves_for(user, delegation)


def move(delegation: Delegation, to: str, user: Any = None, note: str = "") -> DelegationStep:
    """Move `delegation` to `to`; `user` None means a trusted caller (a command, the demo)."""
    return WORKFLOW.move(delegation, to, user, note)
