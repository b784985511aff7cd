"""The gate's reaches (core/reach.py): a user gives them (`User.reaches_on`, accounts/reach.py)
and the gate filters by the ids of the units in reach, or past LISTED_UNITS by a subquery on the
units the records link to; both select the same records."""

from __future__ import annotations

import pytest
from django.db.models import Q
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


def _reaches() -> list[Reach]:
    province = Unit.objects.get(code="VN-P02")
    district = Unit.objects.get(code="VN-D030")
    return [
        Reach(own=district.path),
        Reach(own=district.path, plus=(province.path,)),
        Reach(own=district.path + "0/", plus=(province.path,), minus=(district.path,)),
    ]


def test_a_reach_past_its_limit_reads_no_ids_and_keeps_none() -> None:
    """`unit_ids(units, limit)` stops reading after limit + 1 rows (a country's 100,000 ids
    are not read to be dropped); it answers None past the limit, the ids up to it, and a later
    call without a limit still reads them all."""
    paths = dict(Unit.objects.values_list("pk", "path"))
    for each in _reaches():
        expected = {pk for pk, path in paths.items() if each.contains(path)}
        read = Unit.objects.filter(each.q("path")).count() if not each.minus else None
        # With `minus` the rows read (before the check) are more than the units kept: the
        # limit counts the rows read, so it errs towards the subquery, never towards fewer ids.
        rows = read if read is not None else _rows_read(each)
        fresh = Reach(own=each.own, plus=each.plus, minus=each.minus)
        assert fresh.unit_ids(Unit, rows - 1) is None
        assert fresh.unit_ids(Unit, rows) == expected
        again = Reach(own=each.own, plus=each.plus, minus=each.minus)
        assert again.unit_ids(Unit, rows - 1) is None
        assert again.unit_ids(Unit) == expected


def _rows_read(each: Reach) -> int:
    wanted = Q(path__startswith=each.own)
    for path in each.plus:
        wanted |= Q(path__startswith=path)
    return Unit.objects.filter(wanted).count()


def test_the_gate_gives_the_same_records_below_and_above_the_threshold(
    vixuyen_officer: User, dongvan_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Named ids or a subquery on the paths: the same records for each user, whatever the
    threshold (none, one under, at and one over each officer's reach, the default)."""
    for code in ("VN-C00928", "VN-C00715", "VN-D030", "VN-D026", "VN-P02"):
        add_activity(home=code, counterpart=None)
        add_activity(home=code, counterpart=None, sensitivity=2)  # above a local officer's
    expected, sizes = {}, set()
    for user in (vixuyen_officer, dongvan_officer):
        fresh = User.objects.get(pk=user.pk)
        expected[user.pk] = set(restrict(Activity.objects.all(), fresh, "view"))
        [(_role, got)] = fresh.reaches_on(timezone.localdate())
        sizes.add(len(got.unit_ids(Unit) or ()))
        assert expected[user.pk] and all(a.sensitivity <= 1 for a in expected[user.pk])
    assert expected[vixuyen_officer.pk] != expected[dongvan_officer.pk]
    limits = {0, reach.LISTED_UNITS} | {n + step for n in sizes for step in (-1, 0, 1)}
    for limit in sorted(limits):
        monkeypatch.setattr(reach, "LISTED_UNITS", limit)
        for user in (vixuyen_officer, dongvan_officer):
            fresh = User.objects.get(pk=user.pk)  # the gate's reaches live per user object
            [(_role, got)] = fresh.reaches_on(timezone.localdate())
            named = isinstance(units_in([got], Unit), list)
            assert named == (len(got.unit_ids(Unit) or ()) <= limit), limit
            assert set(restrict(Activity.objects.all(), fresh, "view")) == expected[user.pk]


def test_two_reaches_together_past_the_threshold_ask_the_subquery(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each reach under the threshold, both together over it: the union's paths, not a list
    cut short."""
    province = Unit.objects.get(code="VN-P02")
    first, second = (Reach(own=Unit.objects.get(code=code).path) for code in ("VN-D030", "VN-D026"))
    both = first.unit_ids(Unit) | second.unit_ids(Unit)  # type: ignore[operator]
    assert province.pk not in both
    monkeypatch.setattr(reach, "LISTED_UNITS", len(both) - 1)
    asked = units_in([Reach(own=first.own), Reach(own=second.own)], Unit)
    assert not isinstance(asked, list)
    assert set(Unit.objects.filter(pk__in=asked).values_list("pk", flat=True)) == both
    monkeypatch.setattr(reach, "LISTED_UNITS", len(both))
    assert units_in([Reach(own=first.own), Reach(own=second.own)], Unit) == sorted(both)
