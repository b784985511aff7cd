"""The gate's reaches (core/reach.py): a user gives them (`User.reaches_on`, accounts/reach.py)
and the gate filters by the ids of the units in reach, or past LISTED_UNITS by a subquery on the
units the records link to; both select the same records."""

from __future__ import annotations

import pytest
from django.utils import timezone

from borderlink.accounts.models import User
from borderlink.core import reach
from borderlink.core.permissions import restrict
from borderlink.core.reach import Reach, units_in
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from tests.stats.helpers import add_activity

pytestmark = pytest.mark.django_db


def test_a_user_gives_the_gate_a_reach_of_paths_per_membership(vixuyen_officer: User) -> None:
    [(role, got)] = vixuyen_officer.reaches_on(timezone.localdate())
    district = Unit.objects.get(code="VN-D030")
    assert role == "local_officer" and isinstance(got, Reach)
    assert got.own == district.path and got.contains(district.path + "9/")


def test_past_the_listed_units_the_gate_asks_a_subquery_for_the_same_records(
    vixuyen_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = add_activity(home="VN-C00928", counterpart=None)  # Thanh Thủy, in Vị Xuyên
    add_activity(home="VN-C00715", counterpart=None)  # Lũng Cú, in Đồng Văn
    [(_role, got)] = vixuyen_officer.reaches_on(timezone.localdate())
    listed = units_in([got], Unit)
    assert isinstance(listed, list) and Unit.objects.get(code="VN-C00928").pk in listed
    assert list(restrict(Activity.objects.all(), vixuyen_officer, "view")) == [ours]
    monkeypatch.setattr(reach, "LISTED_UNITS", 0)
    asked = units_in([got], Unit)
    assert not isinstance(asked, list)
    assert set(Unit.objects.filter(pk__in=asked).values_list("pk", flat=True)) == set(listed)
    fresh = User.objects.get(pk=vixuyen_officer.pk)  # the gate's reaches live per user object
    assert list(restrict(Activity.objects.all(), fresh, "view")) == [ours]
