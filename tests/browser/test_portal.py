"""The public portal in a real browser: a visitor switches language, changes text size and
contrast, reads an article and follows a figure to its explanation; the keyboard reaches
everything; and axe-core finds no WCAG 2.1 A/AA violation on any public page type, in normal and
high contrast (axe-core: browser/axe.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from borderlink.portal import public
from borderlink.portal.models import FrozenFigure, State, VisitCount
from borderlink.ties.models import Partnership
from tests.browser.axe import find_violations
from tests.portal.helpers import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOREIGN = "ha-giang-foreign-relations-2021"
BORDER = "ha-giang-border-management-2020"


@pytest.fixture
def base(demo_live_server: object) -> str:
    # The live server shares this process's cache: start each test from the database.
    cache.clear()
    public.forget_site()
    return str(demo_live_server)


@pytest.fixture
def visitor(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A fresh browser profile; console errors (CSP violations among them) are collected."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, errors
    context.close()


def test_a_visitor_reads_the_portal_in_their_language(
    visitor: tuple[Page, list[str]], base: str
) -> None:
    page, errors = visitor
    html = page.locator("html")
    page.goto(f"{base}/public/")
    expect(html).to_have_attribute("lang", "vi")

    page.locator(".portal-langs").get_by_role("link", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    assert page.url == f"{base}/public/en/"
    page.goto(f"{base}/public/")
    expect(html).to_have_attribute("lang", "en")  # the choice is remembered

    larger = page.get_by_role("button", name=re.compile("Larger text"))
    larger.click()
    larger.click()
    expect(html).to_have_attribute("data-text-size", "2")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    contrast = page.get_by_role("button", name="High contrast")
    contrast.click()
    expect(contrast).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"

    page.get_by_role("link", name=re.compile("Foreign relations raise")).first.click()
    expect(page.locator("h1")).to_contain_text("Foreign relations raise Ha Giang")
    # Both choices follow the visitor from page to page.
    expect(html).to_have_attribute("data-text-size", "2")
    expect(html).to_have_attribute("data-contrast", "high")
    expect(page.locator("main")).to_contain_text("about 1.8 million USD")
    expect(page.locator("main")).not_to_contain_text("Malypho")

    page.locator('a.portal-figure[data-indicator="station.letters"]').first.click()
    expect(page.locator("#figure-value")).to_have_text("1,456 letters")
    expect(page.locator("#figure-live")).to_contain_text("same figure")
    expect(page.locator("#returns-counted")).to_contain_text("1,456")
    expect(page.locator("#returns-counted")).to_contain_text("Báo Hà Giang")

    page.get_by_role("button", name=re.compile("Normal text size")).click()
    expect(html).not_to_have_attribute("data-text-size", re.compile(".+"))
    contrast = page.get_by_role("button", name="High contrast")
    contrast.click()
    expect(html).not_to_have_attribute("data-contrast", re.compile(".+"))

    page.locator(".portal-langs").get_by_role("link", name="中文").click()
    expect(html).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("#figure-value")).to_have_text("1,456 封")

    assert errors == []
    page.wait_for_timeout(300)
    assert sum(VisitCount.objects.values_list("views", flat=True)) >= 5  # one per page shown


def test_the_keyboard_reaches_everything(visitor: tuple[Page, list[str]], base: str) -> None:
    page, _errors = visitor
    page.goto(f"{base}/public/vi/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto(f"{base}/public/vi/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.textSize") == "larger":
            break
    else:
        pytest.fail("the Larger text button is not reachable with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-text-size", "1")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-contrast-toggle')")
    page.keyboard.press("Space")
    expect(page.locator("html")).to_have_attribute("data-contrast", "high")

    link = page.locator(f'a[href="/public/vi/articles/{FOREIGN}/"]').first
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Quan hệ đối ngoại")
    # The chart's table is one key away.
    page.goto(f"{base}/public/vi/articles/{BORDER}/")
    page.locator(".portal-chart-data summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".portal-chart-data table")).to_be_visible()


def test_every_public_page_type_passes_the_accessibility_check(
    browser: Browser, base: str, axe_source: str
) -> None:
    make_article("only-in-vietnamese", langs=("vi",))
    frozen = FrozenFigure.objects.filter(
        version__article__slug=FOREIGN, version__lang="en", version__state=State.PUBLISHED
    ).first()
    tie = Partnership.objects.get(kind="station")
    assert frozen is not None
    pages = {
        "home (vi)": "/public/vi/",
        "home (zh)": "/public/zh-hans/",
        "articles": "/public/en/articles/",
        "article with a chart": f"/public/vi/articles/{BORDER}/",
        "article (en)": f"/public/en/articles/{FOREIGN}/",
        "article (zh)": f"/public/zh-hans/articles/{FOREIGN}/",
        "missing translation": "/public/en/articles/only-in-vietnamese/",
        "frozen figure": f"/public/en/figures/{frozen.pk}/",
        "live figure": "/public/zh-hans/figures/live/units.border_communes/",
        "partnerships": "/public/vi/partnerships/",
        "partnership": f"/public/en/partnerships/{tie.pk}/",
        "gates": "/public/en/gates/",
        "gate": "/public/zh-hans/gates/VN-02-GATE-THANHTHUY/",
    }
    # axe is injected as a script: the test's browser profile lets it past the page's CSP.
    context = browser.new_context(locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        for mode in ("normal", "high contrast"):
            for name, url in pages.items():
                page.goto(base + url)
                if (
                    mode == "high contrast"
                    and page.get_attribute("html", "data-contrast") != "high"
                ):
                    # The button's name is in the page's language: find it by its role.
                    page.locator("button[data-contrast-toggle]").first.click()
                    expect(page.locator("html")).to_have_attribute("data-contrast", "high")
                for summary in page.locator("details summary").all():
                    summary.click()  # check the charts' tables too
                violations = find_violations(page, axe_source)
                if violations:
                    found[f"{name}, {mode}"] = violations
    finally:
        context.close()
    assert found == {}
