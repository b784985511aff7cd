"""The calendar of delegations and meetings, and its iCalendar export read back by a parser."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from icalendar import Calendar

from borderlink.accounts.models import User
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from tests.delegations.conftest import make_delegation

pytestmark = pytest.mark.django_db

URL = "/delegations/calendar.ics?from=2020-05-01&to=2020-07-31"


def events(client: Client, url: str = URL) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = Calendar.from_ical(raw)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_export_parses_with_all_day_dates_status_and_links(
    vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    long_title = "Đoàn công tác huyện Vị Xuyên; hội đàm, khảo sát cặp chợ biên giới, " * 3
    delegation = make_delegation(title=long_title.strip(), places="Thiên Bảo, Ma Lật Pha")
    meeting = Activity.objects.create(
        kind="meeting",
        occurred_on=datetime.date(2020, 7, 10),
        title="Hội đàm định kỳ",
        home_unit=Unit.objects.get(code="VN-D030"),
        counterpart=Unit.objects.get(code="CN-532624"),
        diplomacy="state",
    )
    found = events(client_of(vixuyen_officer))
    event = found[f"delegation-{delegation.pk}@borderlink"]
    assert str(event["SUMMARY"]) == long_title.strip()  # folded, escaped, read back whole
    assert event.decoded("DTSTART") == datetime.date(2020, 6, 1)
    assert event.decoded("DTEND") == datetime.date(2020, 6, 4)  # exclusive end
    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(event["LOCATION"]) == "Thiên Bảo, Ma Lật Pha"
    assert str(event["URL"]).endswith(f"/r/delegations/{delegation.pk}/")
    assert f"activity-{meeting.pk}@borderlink" in found


def test_only_what_the_user_may_see(
    dongvan_officer: User, client_of: Callable[[User], Client]
) -> None:
    theirs = make_delegation()  # Vị Xuyên's
    ours = make_delegation(home="VN-D026", title="Đoàn Đồng Văn")
    secret = make_delegation(home="VN-D026", title="Đoàn mật", sensitivity=3)
    found = events(client_of(dongvan_officer))
    assert f"delegation-{ours.pk}@borderlink" in found
    assert f"delegation-{theirs.pk}@borderlink" not in found
    assert f"delegation-{secret.pk}@borderlink" not in found


def test_the_calendar_page_lists_the_month_and_links_the_export(
    vixuyen_officer: User, client: Client, client_of: Callable[[User], Client]
) -> None:
    delegation = make_delegation()
    page = client_of(vixuyen_officer).get("/delegations/calendar/?year=2020&month=6")
    text = page.content.decode()
    assert delegation.title in text
    assert "calendar.ics?from=2020-06-01&amp;to=2020-06-30" in text
    july = client_of(vixuyen_officer).get("/delegations/calendar/?year=2020&month=8")
    assert delegation.title not in july.content.decode()
    assert client_of(vixuyen_officer).get("/delegations/calendar/?month=13").status_code == 404
    assert client.get(URL).status_code == 302  # anonymous: log in first
