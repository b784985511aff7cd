"""The navigation (borderlink/navigation.py, core/templates/base.html): one line at 1366 px in
every language, a clean collapsed menu on a phone, the language switcher showing whole names,
and every part of the system reachable from it (issue 20: dashboard, reports, people, editorial,
the log sheet)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import find_violations
from tests.browser.test_gazetteer import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = {"vi": "Tiếng Việt", "en": "English", "zh-hans": "简体中文"}


def _open(browser: Browser, base: str, language: str, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page: Page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _one_line(page: Page) -> None:
    """Every item of the bar sits on the brand's line, and the bar is one line high."""
    brand = page.locator(".navbar-brand").bounding_box()
    bar = page.locator("nav.navbar").bounding_box()
    assert brand is not None and bar is not None
    assert bar["height"] < 2 * brand["height"] + 24, bar
    items = page.locator(
        "#nav-groups > li > .nav-link, #language-select, #current-user"
    ).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom, e.textContent.trim()]; })"
    )
    for top, bottom, text in items:
        assert top >= bar["y"] and bottom <= bar["y"] + bar["height"], (text, top, bottom, bar)
        assert bottom - top < 48, (text, top, bottom)  # no label broken over two lines


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_the_bar_is_one_line_at_1366_and_names_the_language(
    browser: Browser, demo_live_server: object, language: str
) -> None:
    base = str(demo_live_server)
    page = _open(browser, base, language, 1366, 768)
    try:
        log_in(page, base, "editor")
        page.goto(f"{base}/r/activities/")
        expect(page.locator(".navbar-toggler")).to_be_hidden()
        _one_line(page)
        # The switcher shows the language's own name, whole.
        select = page.locator("#language-select")
        expect(select.locator("option:checked")).to_have_text(NAMES[language])
        cut = select.evaluate("e => e.scrollWidth > e.clientWidth")
        assert not cut
        for code, name in NAMES.items():
            expect(select.locator(f"option[value='{code}']")).to_have_text(name)

        # Every part is in the menu: the dashboard at the user's unit, reports, people, editorial.
        page.locator("[data-nav-group=figures] > button").click()
        figures = page.locator("[data-nav-group=figures] .dropdown-menu")
        expect(figures).to_be_visible()
        dashboard = figures.locator("a[href*='/stats/dashboard/']")
        expect(dashboard).to_have_count(1)
        expect(figures.locator("a[href='/reports/']")).to_have_count(1)
        expect(figures.locator("a[href='/editorial/']")).to_have_count(1)
        page.keyboard.press("Escape")
        page.locator("[data-nav-group=records] > button").click()
        records = page.locator("[data-nav-group=records] .dropdown-menu")
        expect(records).to_be_visible()
        for slug in ("activities", "labour-registrations", "scholarships", "handover-persons"):
            expect(records.locator(f"a[href='/r/{slug}/']")).to_have_count(1)
        # The open menu fits in the window.
        box = records.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1366
        # One click from any page to the dashboard.
        page.keyboard.press("Escape")
        page.locator("[data-nav-group=figures] > button").click()
        dashboard.click()
        expect(page).to_have_url(re.compile(r"/stats/dashboard/[^/]+/"))
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_the_bar_collapses_on_a_phone(
    browser: Browser, demo_live_server: object, language: str
) -> None:
    base = str(demo_live_server)
    page = _open(browser, base, language, 390, 844)
    try:
        log_in(page, base, "thanhthuy")
        bar = page.locator("nav.navbar").bounding_box()
        assert bar is not None and bar["height"] < 80  # the brand and the menu button only
        expect(page.locator("#nav-groups")).to_be_hidden()
        page.locator(".navbar-toggler").click()
        expect(page.locator("#nav-groups")).to_be_visible()
        expect(page.locator("#language-select option:checked")).to_have_text(NAMES[language])
        page.locator("[data-nav-group=records] > button").click()
        expect(page.locator("[data-nav-group=records] .dropdown-menu")).to_be_visible()
        # Nothing is wider than the phone.
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, wide
    finally:
        page.context.close()


def test_the_menu_and_a_form_with_date_boxes_pass_the_accessibility_check(
    browser: Browser,
    demo_live_server: object,
    axe_source: str,
) -> None:
    base = str(demo_live_server)
    page = _open(browser, base, "vi", 1366, 768)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        log_in(page, base, "editor")
        page.goto(f"{base}/r/activities/?occurred_on=2026-01-01")
        expect(page.locator("#f-occurred_on")).to_have_value("01/01/2026")  # a link's ISO date
        page.goto(f"{base}/r/activities/new/")
        expect(page.locator(".bl-date-button").first).to_be_visible()  # the picker started
        assert errors == []  # no script refused by the CSP, no error from the picker
        state = page.context.storage_state()
    finally:
        page.context.close()

    # axe-core is injected as an inline script: only this checking profile bypasses the CSP.
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, storage_state=state, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{base}/r/activities/new/")
        page.locator("[data-nav-group=records] > button").click()
        assert find_violations(page, axe_source) == []
        page.keyboard.press("Escape")
        page.locator("#current-user").click()
        assert find_violations(page, axe_source) == []
        page.keyboard.press("Escape")
        page.locator(".bl-date-button").first.click()
        expect(page.locator(".datepicker.active")).to_be_visible()
        assert find_violations(page, axe_source) == []
    finally:
        context.close()
