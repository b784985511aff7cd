from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_gazetteer import log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_drill_down_and_reports_in_three_languages(
    page: Page, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    log_in(page, base, "editor")
    switch_language(page, "en")

    # Since the first record (an empty `from`; a dashboard opens on the year by default).
    page.goto(f"{base}/stats/dashboard/VN-P02/?from=&to=2021-06-30&as_of=2021-06-30")
    letters = page.locator('[data-indicator="station.letters"]')
    expect(letters.locator(".figure-value")).to_have_text("1,456 letters")
    expect(page.locator('[data-indicator="coverage.stations_paired"] .figure-value')).to_have_text(
        "12/12"
    )
    expect(page.locator("figure.bl-chart svg")).to_be_visible()

    letters.click()
    expect(page.locator("#figure-value")).to_have_text("1,456 letters")
    returns = page.locator("#returns-counted")
    expect(returns).to_contain_text("1,456")
    expect(returns).to_contain_text("Foreign relations to improve Ha Giang")
    returns.get_by_role("link").first.click()
    expect(page.locator("body")).to_contain_text("1456")  # the return itself, with its source

    for lang, fmt, magic in (("vi", "docx", b"PK"), ("en", "pdf", b"%PDF"), ("zh", "xlsx", b"PK")):
        page.goto(f"{base}/reports/?unit=VN-P02&to=2021-06-30&as_of=2021-06-30")
        page.select_option("#id_template", "foreign-relations")
        page.select_option("#id_lang", lang)
        page.select_option("#id_format", fmt)
        page.click("#report-form button[type=submit]")
        link = page.locator("#report-download")
        expect(link).to_be_visible(timeout=60_000)
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename.endswith(f"-{lang}.{fmt}")
        with open(download.path(), "rb") as handle:
            assert handle.read(4).startswith(magic)
