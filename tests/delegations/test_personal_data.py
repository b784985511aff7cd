"""Members' names and travel documents: shown to roles with the right, masked for the others,
never in the change history, the ledger, the calendar or a log."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

import pytest
from django.test import Client

from borderlink.accounts.models import User
from borderlink.core.history import history_of
from borderlink.core.models import ChangeRecord
from borderlink.delegations import workflow
from borderlink.delegations.models import DelegationMember
from borderlink.registers.personal import views_of
from tests.conftest import api_client
from tests.delegations.conftest import NAME, PASSPORT, make_delegation, ready_to_leave

pytestmark = pytest.mark.django_db


def test_the_change_history_masks_names_and_document_numbers() -> None:
    delegation = ready_to_leave(make_delegation())
    member = delegation.members.get()
    member.full_name = "Tên Khác Hẳn"
    member.save()
    for record in history_of(member):
        text = f"{record.object_repr} {record.changes}"
        assert NAME not in text and PASSPORT not in text and "Tên Khác Hẳn" not in text
    created = history_of(member).filter(action="create").get()
    assert created.changes["full_name"] == [None, "•••"]
    assert created.changes["position"] == [None, "Chủ tịch UBND huyện"]


def test_the_province_editor_and_the_district_officer_see_the_names(
    editor: User, vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    delegation = ready_to_leave(make_delegation())
    member = delegation.members.get()
    for user in (editor, vixuyen_officer):
        client = client_of(user)
        page = client.get(f"/r/delegations/{delegation.pk}/").content.decode()
        assert NAME in page and PASSPORT in page
        assert "members-masked" not in page
        found = client.get("/r/delegation-members/", {"q": NAME.split()[-1]}).content.decode()
        assert NAME in found
        # Every time names are shown, who saw them is kept (the people registers' access log).
        seen = views_of(member).filter(user=user)
        assert set(seen.values_list("how", flat=True)) == {"detail", "list"}
        assert all(seen.values_list("revealed", flat=True))


@pytest.mark.parametrize("who", ["leader", "station_officer"])
def test_roles_without_the_right_see_the_delegation_with_its_members_masked(
    who: str, request: pytest.FixtureRequest, client_of: Callable[[User], Client]
) -> None:
    user: User = request.getfixturevalue(who)
    delegation = ready_to_leave(make_delegation(home="VN-P02", level="province"))
    if who == "station_officer":
        delegation = ready_to_leave(make_delegation(home="VN-02-BGS-THANHTHUY", level="station"))
    client = client_of(user)
    page = client.get(f"/r/delegations/{delegation.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "members-masked" in text and "•••" in text and "Chủ tịch UBND huyện" in text
    assert NAME not in text and PASSPORT not in text
    member = delegation.members.get()
    # The members' register shows them too, with the same fields masked, on every way out.
    listing = client.get("/r/delegation-members/").content.decode()
    assert "Chủ tịch UBND huyện" in listing and NAME not in listing and PASSPORT not in listing
    detail = client.get(f"/r/delegation-members/{member.pk}/").content.decode()
    assert "•••" in detail and NAME not in detail and PASSPORT not in detail
    export = client.get("/r/delegation-members/?export=csv").content.decode()
    assert "Chủ tịch UBND huyện" in export and NAME not in export and PASSPORT not in export
    # A name is no search key for who may not see names.
    found = client.get("/r/delegation-members/", {"q": NAME.split()[-1]}).content.decode()
    assert "Chủ tịch UBND huyện" not in found
    api = api_client(user)
    rows = api.get("/api/delegation-members/").json()["results"]
    assert [row["full_name"] for row in rows] == ["•••"]
    assert rows[0]["document_number"] == "•••"
    history = client.get("/history/").content.decode()
    assert NAME not in history


def test_names_stay_out_of_the_ledger_the_calendar_and_the_logs(
    editor: User, client_of: Callable[[User], Client], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    delegation = ready_to_leave(make_delegation())
    workflow.move(delegation, "approved")
    workflow.move(delegation, "under_way")
    delegation.refresh_from_db()
    entry = delegation.activity
    assert entry is not None
    assert NAME not in f"{entry.title} {entry.outcomes} {entry.source_quote}"
    ics = client_of(editor).get("/delegations/calendar.ics?from=2020-01-01&to=2020-12-31")
    assert ics.status_code == 200
    body = ics.content.decode()
    assert delegation.title.split()[0] in body
    assert NAME not in body and PASSPORT not in body
    assert NAME not in caplog.text and PASSPORT not in caplog.text
    assert not ChangeRecord.objects.filter(changes__icontains=PASSPORT).exists()


def test_member_checks_explain_themselves(
    vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    delegation = ready_to_leave(make_delegation())
    client = client_of(vixuyen_officer)
    response = client.post(
        "/r/delegation-members/new/",
        {
            "delegation": delegation.pk,
            "role": "head",
            "full_name": "Người Thứ Hai",
            "document_number": "B123",
            "document_expires_on": "2020-06-02",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"role", "document_kind", "document_expires_on"}
    assert DelegationMember.objects.filter(delegation=delegation).count() == 1
    assert delegation.ends_on == datetime.date(2020, 6, 3)
