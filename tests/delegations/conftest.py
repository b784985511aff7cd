from __future__ import annotations

import datetime
from typing import Any

import pytest

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.roles import Role
from borderlink.delegations.models import Delegation, DelegationApproval, DelegationMember
from borderlink.places.models import Unit
from tests.conftest import make_user

NAME = "Lò Thị Bí Mật"  # a member's name: must never leak
PASSPORT = "C7654321"


def make_delegation(home: str = "VN-D030", **fields: Any) -> Delegation:
    values: dict[str, Any] = {
        "title": "Đoàn huyện Vị Xuyên thăm huyện Ma Lật Pha",
        "way": "sent",
        "level": "district",
        "home_unit": Unit.objects.get(code=home),
        "counterpart": Unit.objects.get(code="CN-532624"),
        "purpose": "Trao đổi về quản lý biên giới và thương mại qua cửa khẩu",
        "diplomacy": "state",
        "starts_on": datetime.date(2020, 6, 1),
        "ends_on": datetime.date(2020, 6, 3),
        "places": "Ma Lật Pha, Văn Sơn",
    }
    values.update(fields)
    with acting_as(None, reason="test"):
        return Delegation.objects.create(**values)


def ready_to_leave(delegation: Delegation) -> Delegation:
    """Approved, documents issued, one head of delegation named."""
    with acting_as(None, reason="test"):
        DelegationApproval.objects.create(
            delegation=delegation,
            authority="Ủy ban nhân dân tỉnh",
            decision_number="123/QĐ-UBND",
            given_on=datetime.date(2020, 5, 20),
            given_by="Chủ tịch",
        )
        DelegationMember.objects.create(
            delegation=delegation,
            role="head",
            full_name=NAME,
            position="Chủ tịch UBND huyện",
            document_kind="official",
            document_number=PASSPORT,
            document_expires_on=datetime.date(2025, 1, 1),
        )
        delegation.documents_status = "issued"
        delegation.save()
    return delegation


@pytest.fixture
def leader(db: None) -> User:
    return make_user("t-leader", Role.VIEWER, "VN-P02")


@pytest.fixture
def station_officer(db: None) -> User:
    return make_user("t-station", Role.STATION, "VN-02-BGS-THANHTHUY")
