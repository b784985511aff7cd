"""The calendar of delegations and meetings, and its iCalendar export read back by a parser."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable

import pytest
from django.test import Client
from icalendar import Calendar, Component

from borderlink.accounts.models import User
from borderlink.delegations.models import CalendarFeed
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from tests.delegations.conftest import make_delegation

pytestmark = pytest.mark.django_db

URL = "/delegations/calendar.ics?from=2020-05-01&to=2020-07-31"


def events(client: Client, url: str = URL) -> dict[str, Component]:
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


def test_a_subscription_address_works_without_a_session_and_can_be_ended(
    editor: User,
    client: Client,
    client_of: Callable[[User], Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    internal = make_delegation()
    confidential = make_delegation(title="Đoàn làm việc mật", sensitivity=2)
    browser = client_of(editor)
    page = browser.post("/delegations/calendar/subscription/", {"action": "issue"}, follow=True)
    address = re.search(r'id="feed-url" value="([^"]+)"', page.content.decode())
    assert address is not None
    url = address.group(1).replace("&amp;", "&")
    key = url.split("key=")[1]
    feed = CalendarFeed.objects.get(user=editor)
    assert key not in feed.digest and len(key) >= 40  # only a digest is kept
    # A calendar program fetches it without any session.
    found = events(client, url.split("testserver")[1] + "&from=2020-05-01&to=2020-07-31")
    assert f"delegation-{internal.pk}@borderlink" in found
    # The editor sees the confidential one in the app, but the address shows nothing above
    # internal: a leaked address is worth less than a login.
    assert f"delegation-{confidential.pk}@borderlink" in events(browser)
    assert f"delegation-{confidential.pk}@borderlink" not in found
    feed.refresh_from_db()
    assert feed.last_used_at is not None
    # After the redirect, the page says there is one, without showing it again (a reload makes
    # no new address).
    again = browser.get("/delegations/calendar/").content.decode()
    assert 'id="feed-state"' in again and key not in again
    # A new address ends the old one; ending it ends both.
    page = browser.post("/delegations/calendar/subscription/", {"action": "issue"}, follow=True)
    newer = re.search(r'id="feed-url" value="([^"]+)"', page.content.decode())
    assert newer is not None and newer.group(1) != address.group(1)
    assert client.get(f"/delegations/calendar/feed.ics?key={key}").status_code == 404
    newer_url = newer.group(1).replace("&amp;", "&").split("testserver")[1]
    assert client.get(newer_url).status_code == 200
    browser.post("/delegations/calendar/subscription/", {"action": "revoke"})
    assert client.get(newer_url).status_code == 404
    assert client.get("/delegations/calendar/feed.ics").status_code == 404
    # A deactivated user's address stops working.
    page = browser.post("/delegations/calendar/subscription/", {"action": "issue"}, follow=True)
    last = re.search(r'id="feed-url" value="([^"]+)"', page.content.decode())
    assert last is not None
    editor.is_active = False
    editor.save()
    assert client.get(last.group(1).replace("&amp;", "&").split("testserver")[1]).status_code == 404
    # No key ever reaches a log line.
    assert key not in caplog.text
