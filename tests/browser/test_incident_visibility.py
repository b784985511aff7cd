"""A station officer sees their own station's incidents and not another station's: not in the
list, not in a search, not at its address, not in the API."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from borderlink.border.models import Incident
from borderlink.places.models import Unit
from tests.browser.test_gazetteer import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _incident(station: str, title: str) -> Incident:
    return Incident.objects.create(
        home_unit=Unit.objects.get(code=station),
        kind="illegal_crossing",
        title=title,
        occurred_on=datetime.date(2021, 3, 4),
        sensitivity=1,
    )


def test_a_station_officer_cannot_see_another_stations_incident(
    page: Page, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    own = _incident("VN-02-BGS-THANHTHUY", "Vượt biên trái phép tại mốc 261")
    other = _incident("VN-02-BGS-XINMAN", "Vượt biên trái phép gần Xín Mần")

    log_in(page, base, "thanhthuy")
    page.goto(f"{base}/r/incidents/")
    records = page.locator("#records")
    expect(records).to_contain_text(own.title)
    expect(records).not_to_contain_text(other.title)
    page.goto(f"{base}/r/incidents/?q=Xín+Mần")
    expect(page.locator("main")).not_to_contain_text(other.title)
    # Its address answers as if there were no such record.
    response = page.goto(f"{base}/r/incidents/{other.pk}/")
    assert response is not None and response.status == 404
    api = page.request.get(f"{base}/api/incidents/{other.pk}/")
    assert api.status == 404
    # Their own incident opens.
    response = page.goto(f"{base}/r/incidents/{own.pk}/")
    assert response is not None and response.status == 200
    expect(page.locator("main")).to_contain_text(own.title)
