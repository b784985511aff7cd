"""The accessibility check the public portal passes (axe-core, WCAG 2.1 A/AA; issue 20) on the
internal pages: the home page, a register list, a form, a detail page, a unit's page, an error
page, and the open menus (the user menu's links failed colour contrast).

axe-core is injected as an inline script, so only this checking profile bypasses the
content-security policy (`bypass_csp=True`); the pages themselves run no inline script.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from borderlink.ledger.models import Activity
from borderlink.ties.models import Partnership
from tests.browser.axe import find_violations
from tests.browser.test_gazetteer import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page: Page, source: str, where: str) -> list[dict[str, Any]]:
    found = find_violations(page, source)
    return [{"page": where, **violation} for violation in found]


@pytest.mark.parametrize("language", ["vi", "zh-hans"])
def test_the_internal_pages_pass_the_accessibility_check(
    browser: Any,
    demo_live_server: object,
    axe_source: str,
    language: str,
) -> None:
    base = str(demo_live_server)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15000)
    activity = Activity.objects.filter(home_unit__code="VN-P02").first()
    assert activity is not None
    pages = {
        "home": "/",
        "register list": "/r/activities/",
        "form": "/r/activities/new/",
        "detail": f"/r/activities/{activity.pk}/",
        "partnership": f"/r/partnerships/{Partnership.objects.get(kind='station').pk}/",
        "unit": "/units/VN-C00928-2025/",
        "history": "/history/",
        "not found": "/no/such/page/",
    }
    violations: list[dict[str, Any]] = []
    try:
        log_in(page, base, "editor")
        for where, path in pages.items():
            page.goto(f"{base}{path}")
            expect(page.locator("main")).to_be_visible()
            violations += _checked(page, axe_source, where)
        page.goto(f"{base}/r/activities/")
        for group in page.locator("#nav-groups > li").all():
            group.locator("> button").click()
            expect(group.locator(".dropdown-menu")).to_be_visible()
            violations += _checked(
                page, axe_source, f"menu {group.get_attribute('data-nav-group')}"
            )
            page.keyboard.press("Escape")
        page.locator("#current-user").click()
        expect(page.locator("[aria-labelledby=current-user]")).to_be_visible()
        violations += _checked(page, axe_source, "user menu")
    finally:
        context.close()
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
