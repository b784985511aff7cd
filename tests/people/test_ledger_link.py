"""Registrations count in labour.workers_sent through the ledger: one entry per unit, agreement
and month of departure, its persons the workers (no names), kept in step with every change."""

from __future__ import annotations

import datetime

import pytest

from borderlink.ledger.models import Activity
from borderlink.people.models import LabourDispatch, Scholarship, ScholarshipAwards
from borderlink.places.models import Unit
from borderlink.stats.engine import Window, evaluate
from tests.people.conftest import ID_NUMBER, NAME, registration

pytestmark = pytest.mark.django_db
YEAR_2023 = Window(
    datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), datetime.date(2024, 1, 1)
)


def workers_sent(code: str = "VN-D030") -> int:
    value = evaluate("labour.workers_sent", Unit.objects.get(code=code), YEAR_2023, 1).value
    assert value is not None
    return int(value)


def test_registrations_count_as_workers_sent_and_follow_every_change() -> None:
    assert workers_sent() == 0
    first = registration(departed_on=datetime.date(2023, 3, 2))
    second = registration(departed_on=datetime.date(2023, 3, 20))
    registration(departed_on=datetime.date(2023, 7, 1))
    registration(status="registered", departed_on=None)  # not yet left: not counted
    assert workers_sent() == 3
    entry = LabourDispatch.objects.get(month=datetime.date(2023, 3, 1)).activity
    assert (entry.kind, entry.persons, entry.occurred_on) == (
        "labour_dispatch",
        2,
        datetime.date(2023, 3, 2),
    )
    assert entry.agreement_id == first.agreement_id and entry.sensitivity == 1
    assert NAME not in entry.title and ID_NUMBER not in entry.title
    second.status = "cancelled"
    second.save()
    assert workers_sent() == 2
    first.departed_on = datetime.date(2023, 7, 5)
    first.save()
    assert not LabourDispatch.objects.filter(month=datetime.date(2023, 3, 1)).exists()
    assert not Activity.objects.filter(pk=entry.pk).exists()
    assert LabourDispatch.objects.get(month=datetime.date(2023, 7, 1)).activity.persons == 2
    first.delete()
    assert workers_sent() == 1
    assert workers_sent("VN-P02") >= 1  # rolls up to the province


def test_anonymising_leaves_the_ledger_count_as_it_was() -> None:
    record = registration(
        departed_on=datetime.date(2023, 3, 2),
        status="returned",
        returned_on=datetime.date(2023, 9, 1),
    )
    before = workers_sent()
    record.anonymise(datetime.date(2030, 1, 1))
    record.save()
    assert workers_sent() == before == 1


def scholarship(**extra: object) -> Scholarship:
    fields: dict[str, object] = {
        "home_unit": Unit.objects.get(code="VN-D030"),
        "counterpart": Unit.objects.get(code="CN-532624"),
        "year": 2023,
        "direction": "received",
        "full_name": NAME,
        "id_number": ID_NUMBER,
        "institution": "Đại học Dân tộc Vân Nam",
        **extra,
    }
    return Scholarship.objects.create(**fields)


def scholarships(code: str = "VN-D030") -> int:
    value = evaluate("education.scholarships", Unit.objects.get(code=code), YEAR_2023, 1).value
    assert value is not None
    return int(value)


def test_scholarships_count_in_the_ledger_by_year_direction_and_side() -> None:
    assert scholarships() == 0
    first = scholarship()
    scholarship(status="withdrawn")  # awarded, then withdrawn: it was still awarded
    given = scholarship(direction="given", institution="Trường Cao đẳng Sư phạm Hà Giang")
    scholarship(year=2022)  # another year
    assert scholarships() == 3
    entry = ScholarshipAwards.objects.get(year=2023, direction="received").activity
    assert (entry.kind, entry.count, entry.persons, entry.direction) == (
        "scholarship",
        2,
        2,
        "received",
    )
    assert (entry.occurred_on, entry.ended_on) == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 31),
    )
    assert NAME not in entry.title and ID_NUMBER not in entry.title and entry.sensitivity == 1
    assert ScholarshipAwards.objects.get(year=2023, direction="given").activity.direction == "sent"
    # Moving a record moves its count; the last one out takes the entry with it.
    given.year = 2022
    given.save()
    assert scholarships() == 2
    assert not ScholarshipAwards.objects.filter(year=2023, direction="given").exists()
    first.delete()
    assert scholarships() == 1
    assert scholarships("VN-P02") >= 1  # rolls up to the province


def test_scholarships_from_before_the_link_are_counted_after_migrate() -> None:
    from borderlink.people.ledger_link import count_the_unlinked_scholarships

    Scholarship.objects.bulk_create(  # no save(): as rows written before the ledger link
        [
            Scholarship(
                home_unit=Unit.objects.get(code="VN-D030"),
                counterpart=Unit.objects.get(code="CN-532624"),
                year=2023,
                direction="received",
                full_name=NAME,
                institution="Đại học Văn Sơn",
            )
            for _ in range(3)
        ]
    )
    assert scholarships() == 0
    assert count_the_unlinked_scholarships() == 1
    assert scholarships() == 3
    assert count_the_unlinked_scholarships() == 0  # once is enough
