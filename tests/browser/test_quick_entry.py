"""A station officer on a phone logs a letter from the home page in at most five interactions
(clicks or key presses that submit or choose; typing the title counts as one): the quick form
comes filled from who is recording — the station today, its counterpart across the border,
today's date, a letter sent — and everything else waits behind "More fields"."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from tests.browser.axe import find_violations
from tests.browser.test_gazetteer import log_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"  # tests/conftest.make_user's


def test_a_station_officer_logs_a_letter_from_home_in_five_interactions(
    browser: Browser, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    make_user("t-quick", Role.STATION, "VN-02-BGS-THANHTHUY-2025")
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        log_in(page, base, "t-quick", PASSWORD)

        interactions = 0
        page.click("#quick-letter")  # 1: choose what to log
        interactions += 1
        expect(page.locator("#id_title")).to_be_visible()
        # The quick fields come first and filled in; home unit and the rest wait behind More.
        expect(page.locator("details summary")).to_be_visible()
        expect(page.locator("#id_home_unit")).not_to_be_visible()
        page.fill("#id_title", "Thư thông báo lịch tuần tra chung")  # 2: type the title
        interactions += 1
        page.click("#register-form button[type=submit]:not([name])")  # 3: save
        interactions += 1
        expect(page.locator(".alert-success")).to_be_visible()
        assert interactions <= 5

        saved = Activity.objects.get(title="Thư thông báo lịch tuần tra chung")
        assert saved.kind == "letter"
        assert saved.occurred_on == timezone.localdate()
        assert saved.home_unit.code == "VN-02-BGS-THANHTHUY-2025"
        assert saved.counterpart is not None
        assert saved.counterpart.code == "CN-532624-BGS-TIANBAO"
        assert saved.direction == "sent" and saved.channel == "letter"
    finally:
        context.close()


def test_the_quick_form_passes_the_accessibility_check(
    browser: Browser,
    demo_live_server: object,
    axe_source: str,
) -> None:
    base = str(demo_live_server)
    make_user("t-quick-a11y", Role.STATION, "VN-02-BGS-THANHTHUY-2025")
    context = browser.new_context(  # axe is injected as a script: the test lifts the CSP
        locale="vi-VN", viewport={"width": 390, "height": 844}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        log_in(page, base, "t-quick-a11y", PASSWORD)
        new = reverse("registers:new", args=["activities"])
        page.goto(f"{base}{new}?kind=letter")
        assert find_violations(page, axe_source) == []
        page.click("details summary")  # and with every field shown
        assert find_violations(page, axe_source) == []
    finally:
        context.close()
