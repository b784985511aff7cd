"""An officer makes an API key from the user menu, a program uses it, and revoking it stops it."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_gazetteer import log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def api_status(base: str, key: str) -> int:
    request = urllib.request.Request(
        f"{base}/api/activities/", headers={"Authorization": f"Token {key}"}
    )
    try:
        with urllib.request.urlopen(request) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_a_key_made_in_the_user_menu_works_until_revoked(
    page: Page, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    log_in(page, base, "editor")
    switch_language(page, "en")
    page.click("#current-user")
    page.get_by_role("link", name="API keys").click()
    expect(page.locator("#no-keys")).to_be_visible()
    page.fill("#id_name", "Station sync")
    page.fill("#id_days", "400")
    page.click("#api-key-form button[type=submit]")
    expect(page.locator("#api-key-form .invalid-feedback")).to_contain_text("365")
    expect(page.locator("#id_name")).to_have_value("Station sync")  # what was typed is kept
    page.fill("#id_days", "30")
    page.click("#api-key-form button[type=submit]")
    key = page.locator("#new-key-value").input_value()
    assert len(key) == 43
    assert api_status(base, key) == 200
    page.reload()  # shown once; the reload makes no second key
    expect(page.locator("#new-key")).to_have_count(0)
    expect(page.locator("#api-keys tbody tr")).to_have_count(1)
    row = page.locator("#api-keys tbody tr").first
    expect(row).to_contain_text("Station sync")
    expect(row).to_contain_text(key[:8])
    row.get_by_role("button", name="Revoke").click()
    expect(page.locator("#api-keys tbody tr").first).to_contain_text("Revoked")
    assert api_status(base, key) == 401
