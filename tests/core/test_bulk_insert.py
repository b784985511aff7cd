"""core.bulk.insert: records written together get what a save gives them."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from borderlink.core import bulk
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit

pytestmark = pytest.mark.django_db


def test_a_batch_gets_its_timestamps_from_one_reading_of_the_clock() -> None:
    """On PostgreSQL: what each record's pre_save would set, read once for the batch."""
    home = Unit.objects.get(code="VN-P02")
    made = [
        Activity(
            home_unit=home,
            kind="letter",
            occurred_on=datetime.date(2024, 5, 1 + i),
            title=f"t-stamp {i}",
            diplomacy="state",
        )
        for i in range(3)
    ]
    before = timezone.now()
    bulk.insert(Activity, made)
    stamps = {(a.created_at, a.updated_at) for a in made}  # set on the records, as a save does
    assert all(before <= when <= timezone.now() for pair in stamps for when in pair)
    if connection.vendor == "postgresql":  # COPY; SQLite's bulk_create reads it per record
        assert len(stamps) == 1
    stored = Activity.objects.filter(title__startswith="t-stamp ")
    assert set(stored.values_list("created_at", "updated_at")) == stamps
    assert all(a.pk is not None and not a._state.adding for a in made)
