"""proposed → approved → under way → reported, with the history kept and the ledger in step."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.utils import translation

from borderlink.accounts.models import User
from borderlink.core.history import history_of
from borderlink.delegations import workflow
from borderlink.delegations.models import Delegation, DelegationApproval, DelegationMember
from borderlink.ledger.models import Activity, Commitment
from borderlink.places.models import Unit
from borderlink.stats import rollup
from tests.delegations.conftest import make_delegation, ready_to_leave


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The workflow explains a refusal in the user's language; these tests read the English."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def test_a_proposal_is_not_in_the_ledger() -> None:
    delegation = make_delegation()
    assert delegation.status == "proposed"
    assert delegation.activity is None
    assert not Activity.objects.filter(title=delegation.title).exists()


def test_approving_needs_every_approval_recorded_and_given() -> None:
    delegation = make_delegation()
    with pytest.raises(workflow.WorkflowError, match="approvals"):
        workflow.move(delegation, "approved")
    DelegationApproval.objects.create(delegation=delegation, authority="Tỉnh ủy Hà Giang")
    with pytest.raises(workflow.WorkflowError, match="Tỉnh ủy Hà Giang"):
        workflow.move(delegation, "approved")
    DelegationApproval.objects.filter(delegation=delegation).update(
        given_on=datetime.date(2020, 5, 1), given_by="Bí thư"
    )
    step = workflow.move(delegation, "approved", note="đủ thủ tục")
    delegation.refresh_from_db()
    assert delegation.status == "approved"
    assert (step.from_state, step.to_state, step.note) == ("proposed", "approved", "đủ thủ tục")


def test_leaving_needs_members_and_issued_travel_documents() -> None:
    delegation = make_delegation()
    DelegationApproval.objects.create(
        delegation=delegation, authority="UBND tỉnh", given_on=datetime.date(2020, 5, 1)
    )
    workflow.move(delegation, "approved")
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.move(delegation, "under_way")
    assert "members" in str(refused.value) and "travel documents" in str(refused.value)
    delegation.refresh_from_db()
    assert delegation.status == "approved" and delegation.activity is None


def test_under_way_writes_one_ledger_entry_with_the_delegations_facts() -> None:
    delegation = ready_to_leave(make_delegation())
    DelegationMember.objects.create(delegation=delegation, full_name="Người thứ hai")
    workflow.move(delegation, "approved")
    workflow.move(delegation, "under_way")
    delegation.refresh_from_db()
    entry = delegation.activity
    assert entry is not None
    assert entry.kind == "delegation" and entry.direction == "sent"
    assert entry.persons == 2
    assert entry.home_unit == Unit.objects.get(code="VN-D030")
    assert entry.counterpart == Unit.objects.get(code="CN-532624")
    assert (entry.occurred_on, entry.ended_on) == (delegation.starts_on, delegation.ends_on)
    assert entry.diplomacy == "state" and entry.sensitivity == delegation.sensitivity
    assert rollup.differences() == []


def test_an_incoming_delegation_is_received_in_the_ledger() -> None:
    delegation = ready_to_leave(
        make_delegation(way="received", title="Đoàn huyện Ma Lật Pha thăm Vị Xuyên")
    )
    workflow.move(delegation, "approved")
    workflow.move(delegation, "under_way")
    delegation.refresh_from_db()
    assert delegation.activity is not None and delegation.activity.direction == "received"


def test_edits_and_members_keep_the_ledger_entry_in_step() -> None:
    delegation = ready_to_leave(make_delegation())
    workflow.move(delegation, "approved")
    workflow.move(delegation, "under_way")
    delegation.refresh_from_db()
    entry_pk = delegation.activity_id
    assert entry_pk is not None
    delegation.ends_on = datetime.date(2020, 6, 5)
    delegation.title = "Đoàn công tác (sửa)"
    delegation.save()
    extra = DelegationMember.objects.create(delegation=delegation, full_name="Thành viên thêm")
    entry = Activity.objects.get(pk=entry_pk)
    assert entry.ended_on == datetime.date(2020, 6, 5) and entry.title == "Đoàn công tác (sửa)"
    assert entry.persons == 2
    extra.delete()
    entry.refresh_from_db()
    assert entry.persons == 1
    assert (
        Activity.objects.filter(kind="delegation", title__startswith="Đoàn công tác").count() == 1
    )
    assert rollup.differences() == []


def test_reporting_needs_the_report_and_carries_it_to_the_ledger() -> None:
    delegation = ready_to_leave(make_delegation())
    for to in ("approved", "under_way"):
        workflow.move(delegation, to)
    with pytest.raises(workflow.WorkflowError, match="report"):
        workflow.move(delegation, "reported")
    Delegation.objects.filter(pk=delegation.pk).update(report="Hai bên thống nhất ba nội dung.")
    workflow.move(delegation, "reported")
    delegation.refresh_from_db()
    assert delegation.status == "reported" and delegation.reported_on is not None
    assert delegation.activity is not None
    assert delegation.activity.outcomes == "Hai bên thống nhất ba nội dung."
    assert [s.to_state for s in delegation.steps.all()] == ["approved", "under_way", "reported"]
    statuses = [c.changes["status"] for c in history_of(delegation) if "status" in c.changes]
    assert ["under_way", "reported"] in statuses


@pytest.mark.parametrize(
    ("start", "to"),
    [("proposed", "reported"), ("proposed", "under_way"), ("cancelled", "approved")],
)
def test_impossible_moves_are_refused(start: str, to: str) -> None:
    delegation = make_delegation()
    Delegation.objects.filter(pk=delegation.pk).update(status=start)
    with pytest.raises(workflow.WorkflowError, match="cannot become"):
        workflow.move(delegation, to)
    assert not delegation.steps.exists()


def test_moves_go_through_the_permission_gate(
    vixuyen_officer: User, dongvan_officer: User, client_of: Callable[[User], Client]
) -> None:
    delegation = make_delegation()
    DelegationApproval.objects.create(
        delegation=delegation, authority="UBND tỉnh", given_on=datetime.date(2020, 5, 1)
    )
    url = f"/delegations/{delegation.pk}/move/"
    assert client_of(dongvan_officer).post(url, {"to": "approved"}).status_code == 404
    assert workflow.moves_for(dongvan_officer, delegation) == []
    assert set(workflow.moves_for(vixuyen_officer, delegation)) == {"approved", "cancelled"}
    response = client_of(vixuyen_officer).post(url, {"to": "approved", "note": "ok"})
    assert response.status_code == 302
    step = delegation.steps.get()
    assert step.actor == vixuyen_officer and step.to_state == "approved"
    refused = client_of(vixuyen_officer).post(url, {"to": "reported"}, follow=True)
    assert "cannot become" in refused.content.decode() or "không thể" in refused.content.decode()
    delegation.refresh_from_db()
    assert delegation.status == "approved"


def test_a_viewer_sees_no_moves(leader: User) -> None:
    delegation = make_delegation()
    assert workflow.moves_for(leader, delegation) == []
    with pytest.raises(workflow.WorkflowError):
        workflow.move(delegation, "cancelled", leader)


def test_deleting_takes_the_ledger_entry_along_unless_commitments_hang_on_it() -> None:
    delegation = ready_to_leave(make_delegation())
    for to in ("approved", "under_way"):
        workflow.move(delegation, to)
    delegation.refresh_from_db()
    assert delegation.activity is not None
    Commitment.objects.create(
        meeting=delegation.activity, text="Khảo sát chung", home_unit=delegation.home_unit
    )
    with pytest.raises(ProtectedError):
        delegation.delete()
    Commitment.objects.filter(meeting=delegation.activity).delete()
    entry_pk = delegation.activity.pk
    delegation.delete()
    assert not Activity.objects.filter(pk=entry_pk).exists()
    assert rollup.differences() == []


def test_the_form_cannot_set_the_status(editor: User, client_of: Callable[[User], Client]) -> None:
    delegation = make_delegation()
    client = client_of(editor)
    page = client.get(f"/r/delegations/{delegation.pk}/edit/").content.decode()
    assert 'name="status"' not in page


def test_a_move_to_no_known_state_is_refused_not_a_server_error(
    vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    delegation = make_delegation()
    client = client_of(vixuyen_officer)
    client.raise_request_exception = False
    response = client.post(f"/delegations/{delegation.pk}/move/", {"to": "nonsense"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot become" in page or "không thể" in page
    assert not delegation.steps.exists()
