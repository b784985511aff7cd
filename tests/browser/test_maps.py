"""Maps with context and no tile server: place names in the page's language, each side of the
line named, a legend, and no interactive element nested in another (the axe check)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import find_violations
from tests.browser.test_gazetteer import log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_both_maps_name_the_sides_and_places_in_the_pages_language(
    axe_page: Page,
    demo_live_server: object,
    axe_source: str,
) -> None:
    page = axe_page
    base = str(demo_live_server)
    log_in(page, base, "editor")
    languages = (
        ("vi", "Việt Nam", "Trung Quốc", "Tuyên Quang"),
        ("en", "Vietnam", "China", "Tuyen Quang"),
    )
    for lang, vietnam, china, province in languages:
        switch_language(page, lang)
        # Vị Xuyên district before the reform: 24 communes along the line (a province's 124
        # are evaluated one by one, slow on SQLite).
        page.goto(f"{base}/stats/map/VN-D030/?from=2021-01-01&to=2021-06-30&as_of=2021-06-30")
        expect(page.locator("#indicator-map")).to_have_attribute("data-ready", "true")
        expect(page.locator(".bl-side-VN")).to_have_text(vietnam)
        expect(page.locator(".bl-side-CN")).to_have_text(china)
        # The units of the table are named on the map in the page's language; where two
        # names would cover each other one is hidden, never both shown on top of each other.
        labels = page.locator(".bl-label")
        expect(labels.first).to_be_attached()
        names = set(page.locator("#map-table tbody tr td:first-child a").all_inner_texts())
        written = labels.evaluate_all("els => els.map((e) => e.textContent)")
        assert len(written) > 5 and set(written) <= names
        expect(page.locator(".bl-label:visible").first).to_be_visible()
        expect(page.locator("#map-legend .bl-swatch").first).to_be_visible()
        assert find_violations(page, axe_source) == [], lang

        page.goto(f"{base}/border/map/")
        expect(page.locator("#border-map")).to_have_attribute("data-ready", "true")
        expect(page.locator(".bl-side-VN")).to_have_text(vietnam)
        expect(page.locator(".bl-side-CN")).to_have_text(china)
        # The provinces and prefectures around the line, named in the page's language.
        expect(page.locator(".bl-label", has_text=province).first).to_be_attached()
        assert find_violations(page, axe_source) == [], lang
