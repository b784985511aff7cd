"""Recording today, after the 2025 reform: every demo account that records works under today's
units, its entry dated today is accepted for its own unit, and its dashboard for this year counts
it; records made before the reform still count for the units that hold them now."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from borderlink.accounts.models import User
from borderlink.accounts.recording import default_home_unit, home_units
from borderlink.core.permissions import can_under, clearance, restrict
from borderlink.demo.users import DEMO_USERS
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.places.reform import CarryOverError, carry_over
from borderlink.places.scope import resolve
from borderlink.stats.engine import Window, evaluate_many
from borderlink.ties.recording import default_counterpart

pytestmark = pytest.mark.django_db

# Every account whose role records activities (the leadership viewer reads only).
RECORDERS = [u for u, role, _code, _d in DEMO_USERS if role != "viewer"]


def _letters(unit: Unit, user: User, today: datetime.date) -> Decimal:
    window = Window(today.replace(month=1, day=1), today, today)
    value = evaluate_many(["station.letters"], unit, window, clearance(user))[
        "station.letters"
    ].value
    assert value is not None
    return value


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("username", RECORDERS)
def test_every_demo_account_records_a_letter_dated_today_for_its_own_unit(username: str) -> None:
    user = User.objects.get(username=username)
    today = timezone.localdate()
    home = default_home_unit(user, today)
    assert home is not None and home.is_valid_on(today), f"{username} has no unit today"
    counterpart = default_counterpart(home, today) or Unit.objects.get(code="CN-532624")
    before = _letters(home, user, today)

    response = _client(user).post(
        reverse("registers:new", args=["activities"]),
        {
            "kind": "letter",
            "occurred_on": today.isoformat(),
            "title": f"Thư ngày {today:%d/%m/%Y} của {username}",
            "home_unit": home.code,
            "counterpart": counterpart.code,
            "channel": "letter",
            "diplomacy": "state",
            "direction": "sent",
            "sensitivity": "1",
            "count": "3",
        },
    )

    assert response.status_code == 302, response.content.decode()[-3000:]
    saved = Activity.objects.get(title=f"Thư ngày {today:%d/%m/%Y} của {username}")
    assert saved.home_unit == home and saved.occurred_on == today
    assert _letters(home, user, today) == before + 3
    dashboard = _client(user).get(reverse("stats:dashboard", args=[home.code]))
    assert dashboard.status_code == 200
    shown = {
        c.figure.indicator.code: c.figure.value
        for _label, tiles in dashboard.context["sections"]
        for c in tiles
    }
    assert shown["station.letters"] == before + 3


def test_the_station_goes_on_under_the_new_commune_with_its_pairing() -> None:
    old = Unit.objects.get(code="VN-02-BGS-THANHTHUY")
    new = Unit.objects.get(code="VN-02-BGS-THANHTHUY-2025")
    assert old.valid_to == datetime.date(2025, 6, 30)
    assert new.valid_from == datetime.date(2025, 7, 1) and new.valid_to is None
    assert new.parent is not None and new.parent.code == "VN-C00928-2025"
    assert new.name_vi == old.name_vi
    counterpart = default_counterpart(new, timezone.localdate())
    assert counterpart is not None and counterpart.code == "CN-532624-BGS-TIANBAO"
    assert carry_over(old, datetime.date(2025, 7, 1)) == new  # twice makes no second unit


def test_a_unit_still_valid_is_not_carried_over() -> None:
    with pytest.raises(CarryOverError):
        carry_over(Unit.objects.get(code="CN-532624-BGS-TIANBAO"), datetime.date(2025, 7, 1))


def test_records_before_the_reform_count_for_the_unit_that_holds_them_now() -> None:
    """The seed's 1,456 letters of the old station count for today's station and province."""
    admin = User.objects.get(username="admin")
    today = timezone.localdate()
    everything = Window(None, today, today)
    for code in ("VN-02-BGS-THANHTHUY-2025", "VN-P08-2025"):
        unit = Unit.objects.get(code=code)
        letters = evaluate_many(["station.letters"], unit, everything, clearance(admin))
        value = letters["station.letters"].value
        assert value is not None and value >= 1456


def test_a_membership_at_an_ended_unit_acts_on_the_units_that_hold_it() -> None:
    vixuyen = User.objects.get(username="vixuyen")  # a role at the district abolished in 2025
    today = timezone.localdate()
    units = home_units(vixuyen, today)
    codes = {u.code for u in units}
    assert {"VN-C00928-2025", "VN-C00919-2025", "VN-C00937-2025"} <= codes
    assert all(u.is_valid_on(today) for u in units)
    assert can_under(vixuyen, Activity, "add", Unit.objects.get(code="VN-C00928-2025").path)
    # …and not on another district's successors, nor the province.
    assert not can_under(vixuyen, Activity, "add", Unit.objects.get(code="VN-C00721-2025").path)
    assert not can_under(vixuyen, Activity, "add", Unit.objects.get(code="VN-P08-2025").path)
    # Its own old records stay in reach.
    assert can_under(vixuyen, Activity, "view", Unit.objects.get(code="VN-D030").path)


def test_an_administrator_narrows_what_an_ended_membership_acts_on() -> None:
    vixuyen = User.objects.get(username="vixuyen")
    membership = vixuyen.memberships.get()
    thanh_thuy = Unit.objects.get(code="VN-C00928-2025")
    membership.acts_on.set([thanh_thuy])
    vixuyen = User.objects.get(pk=vixuyen.pk)  # the reach is computed once per user object
    assert [u.code for u in home_units(vixuyen, timezone.localdate())] == ["VN-C00928-2025"]
    assert not can_under(vixuyen, Activity, "add", Unit.objects.get(code="VN-C00919-2025").path)


def test_a_role_at_todays_province_reaches_the_records_of_the_old_one() -> None:
    editor = User.objects.get(username="editor")
    old_letter = Activity.objects.create(
        kind="letter",
        occurred_on=datetime.date(2020, 5, 1),
        title="Thư trước cải cách",
        home_unit=Unit.objects.get(code="VN-02-BGS-THANHTHUY"),
        diplomacy="state",
    )
    assert restrict(Activity.objects.all(), editor, "view").filter(pk=old_letter.pk).exists()
    scope = resolve(Unit.objects.get(code="VN-P08-2025"), timezone.localdate())
    assert scope.contains_path(old_letter.home_unit.path)
    other = User.objects.get(username="dongvan")  # a commune elsewhere does not
    assert not restrict(Activity.objects.all(), other, "view").filter(pk=old_letter.pk).exists()


def test_a_user_sees_where_a_role_at_an_ended_unit_acts_today() -> None:
    client = Client()
    client.force_login(User.objects.get(username="vixuyen"))
    page = client.get(reverse("my-roles")).content.decode()
    assert "Huyện Vị Xuyên" in page
    assert "Xã Thanh Thủy" in page and "Xã Minh Tân" in page
    assert "Xã Đồng Văn" not in page
