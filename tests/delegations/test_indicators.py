"""A delegation's ledger entry flows into the indicators: sent / received, and their members."""

from __future__ import annotations

import datetime

import pytest

from borderlink.delegations import workflow
from borderlink.delegations.models import Delegation, DelegationMember
from borderlink.places.models import Unit
from borderlink.stats.engine import Window, evaluate_many
from tests.delegations.conftest import make_delegation, ready_to_leave

pytestmark = pytest.mark.django_db

CODES = [
    "delegations.sent",
    "delegations.received",
    "delegations.persons_sent",
    "delegations.persons_received",
]
WINDOW = Window(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), datetime.date(2020, 12, 31))


def figures(code: str = "VN-D030", clearance: int = 3) -> dict[str, int]:
    found = evaluate_many(CODES, Unit.objects.get(code=code), WINDOW, clearance)
    return {c: int(f.value or 0) for c, f in found.items()}


def leave(delegation: Delegation) -> Delegation:
    ready_to_leave(delegation)
    workflow.move(delegation, "approved")
    workflow.move(delegation, "under_way")
    return delegation


def test_delegations_count_once_under_way_by_direction_with_their_members() -> None:
    before = figures()
    other_before = figures("VN-D026")
    province_before = figures("VN-P02")
    sent = make_delegation()
    assert figures() == before  # a proposal counts for nothing
    leave(sent)
    DelegationMember.objects.create(delegation=sent, full_name="Thành viên hai")
    received = leave(make_delegation(way="received", title="Đoàn Ma Lật Pha sang thăm"))
    after = figures()
    assert after["delegations.sent"] == before["delegations.sent"] + 1
    assert after["delegations.persons_sent"] == before["delegations.persons_sent"] + 2
    assert after["delegations.received"] == before["delegations.received"] + 1
    assert after["delegations.persons_received"] == before["delegations.persons_received"] + 1
    # The district's delegations count for the province too.
    province = figures("VN-P02")
    assert province["delegations.sent"] == province_before["delegations.sent"] + 1
    assert figures("VN-D026") == other_before  # another district's figures do not move
    # A delegation under way has happened: it cannot be cancelled out of the figures.
    with pytest.raises(workflow.WorkflowError):
        workflow.move(received, "cancelled")


def test_a_delegation_above_the_viewers_clearance_counts_for_nothing() -> None:
    before = figures(clearance=1)["delegations.sent"]
    leave(make_delegation(sensitivity=2, title="Đoàn mật"))
    assert figures(clearance=1)["delegations.sent"] == before
    assert figures(clearance=2)["delegations.sent"] == figures(clearance=1)["delegations.sent"] + 1
