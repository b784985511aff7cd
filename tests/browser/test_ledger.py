from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from borderlink.places.models import Unit
from borderlink.ties.models import Mechanism
from tests.browser.test_gazetteer import log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_activity(page: Page, base: str, **values: str) -> None:
    page.goto(f"{base}/r/activities/new/")
    page.click("#register-form details summary")  # every field, not only the quick ones
    for field in ("kind", "channel", "diplomacy", "direction"):
        if field in values:
            page.select_option(f"#id_{field}", values.pop(field))
    for field, value in values.items():
        page.fill(f"#id_{field}", value)
        page.keyboard.press("Tab")  # leave the box: a picker closes its list
    page.click("#register-form button[type=submit]:not([name])")
    expect(page.locator("#record-fields")).to_be_visible()


def test_a_meeting_with_two_commitments_one_fulfilled_later(
    page: Page, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    mechanism = Mechanism.objects.filter(code="test-talks").first() or Mechanism.objects.create(
        code="test-talks",
        title_vi="Hội đàm định kỳ thử",
        frequency="annual",
        home_unit=Unit.objects.get(code="VN-P02"),
        diplomacy="party",
        started_on=datetime.date(2015, 1, 1),
    )
    log_in(page, base, "editor")
    switch_language(page, "en")

    fill_activity(
        page,
        base,
        kind="meeting",
        channel="online",
        diplomacy="party",
        occurred_on="2020-03-01",
        title="Periodic talks 2020",
        home_unit="VN-P02",
        counterpart="CN-532600",
        mechanism=mechanism.code,
    )
    meeting_url = page.url
    meeting_pk = meeting_url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator("#record-fields")).to_contain_text("Periodic talks 2020")

    for text in ("Exchange the lists of workers", "Joint survey of the crossing"):
        page.goto(f"{base}/r/commitments/new/?meeting={meeting_pk}")
        page.fill("#id_text", text)
        page.fill("#id_home_unit", "VN-P02")
        page.fill("#id_due_on", "2020-04-01")
        page.click("#register-form button[type=submit]")
        expect(page.locator("#overdue-flag")).to_be_visible()
    expect(page.locator("#record-fields")).to_contain_text("Periodic talks 2020")

    page.goto(f"{base}/cooperation/follow-up/")
    overdue = page.locator("#overdue")
    expect(overdue).to_contain_text("Exchange the lists of workers")
    expect(overdue).to_contain_text("Joint survey of the crossing")

    fill_activity(
        page,
        base,
        kind="letter",
        channel="letter",
        diplomacy="state",
        direction="sent",
        occurred_on="2020-04-20",
        title="Lists of workers sent",
        home_unit="VN-P02",
        counterpart="CN-532600",
    )
    letter_pk = page.url.rstrip("/").rsplit("/", 1)[-1]

    page.goto(f"{base}/cooperation/follow-up/")
    overdue.get_by_role("link", name="Exchange the lists of workers").click()
    page.get_by_role("link", name="Edit").click()
    page.fill("#id_fulfilled_by", letter_pk)
    page.click("#register-form button[type=submit]")
    expect(page.locator("#record-fields")).to_contain_text("Fulfilled")
    expect(page.locator("#record-fields")).to_contain_text("Lists of workers sent")
    expect(page.locator("#overdue-flag")).to_have_count(0)

    page.goto(f"{base}/cooperation/follow-up/")
    expect(overdue).not_to_contain_text("Exchange the lists of workers")
    expect(overdue).to_contain_text("Joint survey of the crossing")

    page.goto(meeting_url)
    expect(page.locator("body")).to_contain_text("Joint survey of the crossing")
