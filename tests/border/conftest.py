from __future__ import annotations

import datetime

import pytest

from borderlink.accounts.models import User
from borderlink.border.models import BorderSection, Inspection, Marker
from borderlink.core.roles import Role
from borderlink.places.models import Unit
from tests.conftest import make_user


@pytest.fixture
def section(db: None) -> BorderSection:
    return BorderSection.objects.get(code="vn-cn-ha-giang")


@pytest.fixture
def station(db: None) -> Unit:
    return Unit.objects.get(code="VN-02-BGS-THANHTHUY")


@pytest.fixture
def station_officer(db: None) -> User:
    return make_user("t-thanhthuy", Role.STATION, "VN-02-BGS-THANHTHUY")


@pytest.fixture
def marker_234(db: None) -> Marker:
    return Marker.objects.get(code="vn-cn-ha-giang-234")


def inspection(station: Unit, day: datetime.date, **extra: object) -> Inspection:
    return Inspection.objects.create(home_unit=station, inspected_on=day, **extra)
