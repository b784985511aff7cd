from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from tests.browser.axe import find_violations
from tests.browser.test_gazetteer import log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_drill_down_and_reports_in_three_languages(
    page: Page, demo_live_server: object, job_worker: None
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
    expect(page.locator("svg.bl-trend-chart").first).to_be_visible()

    letters.locator(".figure-value").click()
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


def test_a_leader_reaches_the_dashboard_in_one_click_and_reads_this_year_against_last(
    axe_page: Page,
    demo_live_server: object,
    axe_source: str,
) -> None:
    page = axe_page
    base = str(demo_live_server)
    today = timezone.localdate()
    station = Unit.objects.get(code="VN-02-BGS-THANHTHUY-2025")
    tianbao = Unit.objects.get(code="CN-532624-BGS-TIANBAO")
    # Letters of this station: two this year, one on the same days of last year.
    for day in (today.replace(month=1, day=1), today, today.replace(year=today.year - 1, day=1)):
        Activity.objects.create(
            home_unit=station,
            counterpart=tianbao,
            kind="letter",
            occurred_on=day,
            title=f"Letter {day}",
            diplomacy="state",
            count=1,
        )
    log_in(page, base, "leader")
    switch_language(page, "en")
    page.locator("#desk-dashboard").click()  # one click from the home page
    expect(page.locator("h1")).to_contain_text("Dashboard: ")
    letters = page.locator('[data-indicator="station.letters"]')
    expect(letters.locator(".figure-value")).to_have_text("2 letters")
    last_year = today.year - 1
    expect(letters.locator(".figure-before")).to_contain_text(f"Same period of {last_year}:")
    expect(letters.locator(".figure-before-value")).to_have_text("1 letter")
    expect(letters.locator(".figure-change")).to_have_text("+1 (+100%)")
    expect(page.locator("#trend-year svg.bl-trend-chart")).to_be_visible()
    expect(page.locator("#trend-month svg.bl-trend-chart")).to_be_visible()
    assert find_violations(page, axe_source) == []
    # Last year's number opens its own figure page, down to the record behind it.
    letters.locator(".figure-before-value").click()
    expect(page.locator("#figure-value")).to_have_text("1 letter")
    expect(page.locator("#ledger-entries")).to_contain_text(
        f"Letter {today.replace(year=last_year, day=1)}"
    )
    assert find_violations(page, axe_source) == []
    # In Vietnamese and Chinese the dashboard reads the same comparison in their words.
    for lang, same in (("vi", str(last_year)), ("zh-hans", str(last_year))):
        page.go_back()
        switch_language(page, lang)
        expect(letters.locator(".figure-before")).to_contain_text(same)
        expect(letters.locator(".figure-change")).to_have_text("+1 (+100%)")
