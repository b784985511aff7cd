"""The home page in a real browser: a station officer on a phone (390×844) finds the quick
actions first, without scrolling sideways, and records a letter in two taps; at 1366×768 the
blocks sit side by side; axe-core finds no WCAG 2.1 A/AA violation for a visitor, a station
officer and a leader, at both sizes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, ViewportSize, expect

from borderlink.core.roles import Role
from tests.browser.axe import find_violations
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 768}
PASSWORD = "pw-for-tests-only"  # tests/conftest.make_user's


def _page(browser: Browser, viewport: ViewportSize, **options: Any) -> Page:
    context = browser.new_context(locale="vi-VN", viewport=viewport, **options)
    page = context.new_page()
    page.set_default_timeout(20000)
    return page


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("#current-user")).to_have_text(username)


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_station_officer_on_a_phone_records_a_letter_from_the_home_page_in_two_taps(
    browser: Browser, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    make_user("t-station", Role.STATION, "VN-02-BGS-THANHTHUY-2025")
    page = _page(browser, PHONE)
    try:
        _log_in(page, base, "t-station")
        page.goto(f"{base}/")
        _no_sideways_scroll(page)
        letter = page.locator("#quick-letter")
        expect(letter).to_be_in_viewport()  # the first thing on the page, no scrolling
        for kind in ("phone_call", "meeting", "handover", "sheet"):
            expect(page.locator(f"#quick-{kind}")).to_be_in_viewport()
        box = letter.bounding_box()
        assert box is not None and box["height"] >= 44  # a finger-sized target
        expect(page.locator("#desk-quiet [data-unit]")).to_have_count(1)
        letter.click()
        page.wait_for_url("**/r/activities/new/?kind=letter")
        # The quick form fills in the station, the counterpart, today and a title: one more tap
        # records the letter, and the home page then counts the station as recorded.
        page.locator("#register-form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r".*/r/activities/\d+/$"))
        page.goto(f"{base}/")
        expect(page.locator("#desk-quiet [data-unit]")).to_have_count(0)
    finally:
        page.context.close()


def test_the_blocks_sit_side_by_side_on_a_desktop(
    browser: Browser, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    make_user("t-editor", Role.FA_EDITOR, "VN-P08-2025")
    page = _page(browser, DESKTOP)
    try:
        _log_in(page, base, "t-editor")
        page.goto(f"{base}/")
        _no_sideways_scroll(page)
        quiet = page.locator("#desk-quiet").bounding_box()
        follow = page.locator("#desk-follow-up").bounding_box()
        assert quiet and follow and quiet["y"] == follow["y"] and quiet["x"] < follow["x"]
        expect(page.locator("#desk-figures [data-indicator]")).to_have_count(7)
    finally:
        page.context.close()


def test_the_home_page_passes_the_accessibility_check(
    browser: Browser,
    demo_live_server: object,
    axe_source: str,
) -> None:
    base = str(demo_live_server)
    make_user("t-station", Role.STATION, "VN-02-BGS-THANHTHUY-2025")
    make_user("t-leader", Role.VIEWER, "VN-P08-2025")
    found: dict[str, list[dict[str, Any]]] = {}
    for viewport in (PHONE, DESKTOP):
        for who in ("", "t-station", "t-leader"):
            # axe is injected as a script: the test's browser profile lets it past the CSP.
            page = _page(browser, viewport, bypass_csp=True)
            try:
                if who:
                    _log_in(page, base, who)
                page.goto(f"{base}/")
                violations = find_violations(page, axe_source)
                if violations:
                    found[f"{who or 'visitor'} at {viewport['width']} px"] = violations
            finally:
                page.context.close()
    assert found == {}
