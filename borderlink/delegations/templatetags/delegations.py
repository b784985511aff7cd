"""The delegation page's panel: workflow, members (masked without the right), ledger entry
and commitments, each seen through the permission gate."""

from __future__ import annotations

from typing import Any

from django import template

from borderlink.core.permissions import can, can_at_all, restrict
from borderlink.delegations import workflow
from borderlink.delegations.choices import Status
from borderlink.delegations.models import Delegation, DelegationMember
from borderlink.ledger.models import Commitment
from borderlink.registers import personal
from borderlink.registers.personal import MASK
from borderlink.registers.spec import get_register

register = template.Library()


@register.inclusion_tag("delegations/_panel.html", takes_context=True)
def delegation_panel(context: dict[str, Any], delegation: Delegation) -> dict[str, Any]:
    user = context["request"].user
    members = list(delegation.members.all())
    spec = get_register("delegation-members")
    shown = personal.revealed(spec, user, [member.pk for member in members])
    personal.audit(spec, user, sorted(shown), "detail", shown)
    rows = [
        {
            "member": member,
            "shown": member.pk in shown,
            "name": member.full_name if member.pk in shown else MASK,
            "document": (member.document_number or "—") if member.pk in shown else MASK,
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
        # A member is entered with a name: only where the user may type personal data.
        "can_add_member": can_at_all(user, DelegationMember, "add")
        and can(user, "change", delegation)
        and personal.may_enter(spec, user, delegation.home_unit),
        "can_change": can(user, "change", delegation),
        "activity": delegation.activity,
        "commitments": commitments,
        "csrf_token": context.get("csrf_token"),
    }
