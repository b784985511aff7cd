from __future__ import annotations

import datetime

import pytest

from borderlink.accounts.models import User
from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from borderlink.people.models import HandoverPerson, LabourRegistration
from borderlink.places.models import Unit
from borderlink.ties.models import Agreement
from tests.conftest import make_user

ID_NUMBER = "002198765432"
BIRTH = datetime.date(1994, 7, 12)
NAME = "Giàng Thị Mỷ"


@pytest.fixture
def labour_officer(db: None) -> User:
    return make_user("t-labour", Role.LABOUR, "VN-P02")


@pytest.fixture
def station_officer(db: None) -> User:
    return make_user("t-thanhthuy", Role.STATION, "VN-02-BGS-THANHTHUY")


@pytest.fixture
def other_station_officer(db: None) -> User:
    return make_user("t-xinman", Role.STATION, "VN-02-BGS-XINMAN")


def agreement() -> Agreement:
    return Agreement.objects.filter(domain="labour").earliest("pk")


def registration(**extra: object) -> LabourRegistration:
    fields: dict[str, object] = {
        "agreement": agreement(),
        "home_unit": Unit.objects.get(code="VN-D030"),
        "home_commune": Unit.objects.get(code="VN-C00928"),
        "full_name": NAME,
        "birth_date": BIRTH,
        "id_number": ID_NUMBER,
        "employer": "Công ty TNHH Thử",
        "departed_on": datetime.date(2019, 3, 1),
        "status": "working",
        **extra,
    }
    return LabourRegistration.objects.create(**fields)


def handover_at(station_code: str) -> Activity:
    return Activity.objects.create(
        kind="handover",
        occurred_on=datetime.date(2020, 5, 4),
        title="Trao trả công dân (thử)",
        home_unit=Unit.objects.get(code=station_code),
        counterpart=Unit.objects.get(code="CN-532624"),
        diplomacy="state",
        persons=1,
    )


def person_at(station_code: str, **extra: object) -> HandoverPerson:
    fields: dict[str, object] = {
        "handover": handover_at(station_code),
        "full_name": NAME,
        "birth_date": BIRTH,
        "id_number": ID_NUMBER,
        "nationality": "vn",
        "sex": "female",
        **extra,
    }
    return HandoverPerson.objects.create(**fields)
