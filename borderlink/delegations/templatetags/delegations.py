"""The delegation page's panel: workflow, members (masked without the right), ledger entry
and commitments, each seen through the permission gate."""

from __future__ import annotations

from typing import Any

from django import template

from borderlink.core.history import MASK
from borderlink.core.permissions import can, can_at_all, restrict
from borderlink.delegations import workflow
from borderlink.delegations.choices import Status
from borderlink.delegations.models import Delegation, DelegationMember
from borderlink.ledger.models import Commitment

register = template.Library()


@register.inclusion_tag("delegations/_panel.html", takes_context=True)
def delegation_panel(context: dict[str, Any], delegation: Delegation) -> dict[str, Any]:
    user = context["request"].user
    members = list(delegation.members.all())
    readable = set(
        restrict(DelegationMember.objects.filter(delegation=delegation), user, "view").values_list(
            "pk", flat=True
        )
    )
    rows = [
        {
            "member": member,
            "shown": member.pk in readable,
            "name": member.full_name if member.pk in readable else MASK,
            "document": (member.document_number or "—") if member.pk in readable else MASK,
        }
        for member in members
    ]
    commitments: list[Commitment] = []
    if delegation.activity_id:
        commitments = list(
            restrict(
                Commitment.objects.filter(meeting_id=delegation.activity_id), user, "view"
            ).order_by("due_on", "id")
        )
    return {
        "delegation": delegation,
        "moves": [(to, Status(to).label) for to in workflow.moves_for(user, delegation)],
        "steps": list(delegation.steps.select_related("actor")),
        "members": rows,
        "masked": any(not row["shown"] for row in rows),
        "can_add_member": can_at_all(user, DelegationMember, "add")
        and can(user, "change", delegation),
        "can_change": can(user, "change", delegation),
        "activity": delegation.activity,
        "commitments": commitments,
        "csrf_token": context.get("csrf_token"),
    }
