"""Change history is as secret as its record (issue 16, item 3): a change record keeps its
record's sensitivity, the gate drops it above the user's clearance on /history/, a record made
more secret takes its past changes with it, and a child's changes follow its parent."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.history import history_of, refresh_levels
from borderlink.core.models import ChangeRecord
from borderlink.core.roles import Role
from borderlink.delegations.models import DelegationMember
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from tests.conftest import make_user
from tests.delegations.conftest import make_delegation

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Hội đàm về vụ việc nhạy cảm ở mốc 325"


def _history_page(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/history/").content.decode()


def _activity(sensitivity: int) -> Activity:
    with acting_as(None, reason="test"):
        return Activity.objects.create(
            kind="meeting",
            occurred_on=datetime.date(2024, 3, 1),
            title=SECRET_TITLE,
            home_unit=Unit.objects.get(code="VN-D030"),
            diplomacy="state",
            sensitivity=sensitivity,
        )


def test_a_change_keeps_its_records_sensitivity() -> None:
    activity = _activity(3)
    assert {r.sensitivity for r in history_of(activity)} == {3}


def test_history_above_the_clearance_is_not_shown() -> None:
    _activity(2)
    officer = make_user("t-hist-local", Role.LOCAL, "VN-D030")  # clearance 1
    editor = make_user("t-hist-editor", Role.FA_EDITOR, "VN-P02")  # clearance 2
    assert SECRET_TITLE not in _history_page(officer)
    assert SECRET_TITLE in _history_page(editor)


def test_a_record_made_more_secret_takes_its_past_changes_with_it() -> None:
    activity = _activity(1)
    officer = make_user("t-hist-local2", Role.LOCAL, "VN-D030")
    assert SECRET_TITLE in _history_page(officer)
    with acting_as(None, reason="test"):
        activity.sensitivity = 3
        activity.save()
    assert {r.sensitivity for r in history_of(activity)} == {3}
    assert SECRET_TITLE not in _history_page(officer)
    # Made public again later, what was written at the secret level stays secret.
    with acting_as(None, reason="test"):
        activity.sensitivity = 0
        activity.save()
    assert {r.sensitivity for r in history_of(activity)} >= {3}


def test_a_delegation_members_changes_follow_the_delegation() -> None:
    delegation = make_delegation(sensitivity=1)
    with acting_as(None, reason="test"):
        member = DelegationMember.objects.create(
            delegation=delegation, role="head", full_name="Người Thử", position="Trưởng đoàn"
        )
    assert {r.sensitivity for r in history_of(member)} == {1}
    with acting_as(None, reason="test"):
        delegation.sensitivity = 3
        delegation.save()
    assert {r.sensitivity for r in history_of(member)} == {3}


def test_an_upgrade_brings_old_change_records_up_to_their_records_level() -> None:
    activity = _activity(3)
    ChangeRecord.objects.filter(object_id=str(activity.pk)).update(sensitivity=0)
    assert refresh_levels() >= 1
    assert {r.sensitivity for r in history_of(activity)} == {3}
