from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from borderlink.demo.users import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    expect(page.locator("#current-user")).to_have_text(username)
    # The page's scripts come at its end: a test acting at once would race them.
    page.wait_for_load_state("load")


def switch_language(page: Page, code: str) -> None:
    """The staff language switch, which submits itself on change once the page's scripts run:
    acting before the page has loaded races them on a busy machine."""
    page.wait_for_load_state("load")
    page.select_option("#language-select", code)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if code == "zh-hans" else code)
    page.wait_for_load_state("load")


def test_log_in_switch_language_and_find_thanh_thuy(page: Page, demo_live_server: object) -> None:
    base = str(demo_live_server)
    log_in(page, base, "editor")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    switch_language(page, "en")
    page.get_by_role("button", name="Reference").click()  # the menu groups its links
    expect(page.get_by_role("link", name="Gazetteer")).to_be_visible()

    page.get_by_role("link", name="Search units").click()
    page.fill("#q", "thanh thuy")
    page.select_option("#kind", "commune")
    page.click("#search-button")
    results = page.locator("#results")
    expect(results).to_contain_text("Thanh Thuy commune")
    expect(results).to_contain_text("Vi Xuyen district")

    # The commune as it was before the reform: the row that sits within Vị Xuyên district.
    page.locator("#results tr", has_text="Vi Xuyen district").locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("Thanh Thuy commune")
    expect(page.locator("#went-to")).to_contain_text("Thanh Thuy commune")
    expect(page.locator("#went-to")).to_contain_text("2025")

    # In Chinese, a Vietnamese commune with no recorded Chinese name shows its own name, marked.
    switch_language(page, "zh-hans")
    expect(page.locator("h1")).to_contain_text("Xã Thanh Thủy")
    # Marked in the page, not by a badge: the name's own language and why it is shown.
    expect(page.locator("h1 .bl-native[lang='vi']")).to_have_attribute("title", re.compile(".+"))


def test_the_tree_as_of_a_date_before_and_after_the_reform(
    page: Page, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    log_in(page, base, "leader")
    page.goto(f"{base}/units/?country=VN&on=2020-06-01")
    expect(page.locator(".bl-tree")).to_contain_text("Tỉnh Hà Giang")
    page.locator("summary", has_text="Tỉnh Hà Giang").click()
    expect(page.locator(".bl-tree")).to_contain_text("Huyện Vị Xuyên")

    page.goto(f"{base}/units/?country=VN&on=2025-07-01")
    expect(page.locator(".bl-tree")).not_to_contain_text("Tỉnh Hà Giang")
    expect(page.locator(".bl-tree")).to_contain_text("Tỉnh Tuyên Quang")


def test_the_unit_map_draws_without_tiles(page: Page, demo_live_server: object) -> None:
    base = str(demo_live_server)
    log_in(page, base, "leader")
    page.goto(f"{base}/units/VN-D030/")
    expect(page.locator("#unit-map .leaflet-interactive").first).to_be_attached()
    assert page.locator("#unit-map .leaflet-tile").count() == 0
    page.locator("#unit-map path.leaflet-interactive").nth(3).click(force=True)
    expect(page).to_have_url(re.compile(r"/units/VN-C\d+/$"))
