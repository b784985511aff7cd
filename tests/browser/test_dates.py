"""Dates typed and shown in the page's language (core/dates.py, static/borderlink/dates.js): on
the activity form in Vietnamese, English and Chinese, the saved record shows the date typed; the
picker speaks the page's language and works from the mouse and from the keyboard."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from borderlink.accounts.models import User
from borderlink.ledger.models import Activity
from borderlink.navigation import home_unit
from borderlink.places.models import Unit
from tests.browser.test_gazetteer import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (language, hint, how the box shows a date, how the record's page shows it)
LANGUAGES = {
    "vi": ("dd/mm/yyyy", lambda d: d.strftime("%d/%m/%Y"), lambda d: d.strftime("%d/%m/%Y")),
    "en": ("dd/mm/yyyy", lambda d: d.strftime("%d/%m/%Y"), lambda d: d.strftime("%d/%m/%Y")),
    "zh-hans": (
        "yyyy-mm-dd",
        lambda d: d.isoformat(),
        lambda d: f"{d.year}年{d.month}月{d.day}日",
    ),
}
# The picker's month title in each language (its vi, en-GB and zh-CN locales).
MONTH_TITLE = {
    "vi": lambda d: f"Tháng {d.month} {d.year}",
    "en": lambda d: d.strftime("%B %Y"),
    "zh-hans": lambda d: f"{d.year}年{d.month:02d}月",
}


def _activity(username: str, day: datetime.date) -> Activity:
    """An activity of the user's own unit, dated `day`."""
    unit = home_unit(User.objects.get(username=username))
    assert unit is not None
    return Activity.objects.create(
        kind="letter",
        occurred_on=day,
        title="Thư thử ngày tháng",
        home_unit=unit,
        counterpart=Unit.objects.get(code="CN-532624"),
        channel="letter",
        diplomacy="state",
        direction="sent",
        count=1,
    )


def _in_language(page: Page, base: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])


def test_dates_typed_and_shown_in_each_language(page: Page, demo_live_server: object) -> None:
    base = str(demo_live_server)
    today = timezone.localdate()
    activity = _activity("editor", today - datetime.timedelta(days=30))
    log_in(page, base, "editor")
    for offset, (language, (hint, boxed, shown)) in enumerate(LANGUAGES.items(), start=1):
        _in_language(page, base, language)
        page.goto(f"{base}/r/activities/{activity.pk}/edit/")
        box = page.locator("#id_occurred_on")
        expect(box).to_have_attribute("type", "text")
        expect(box).to_have_attribute("placeholder", hint)
        expect(box).to_have_attribute("inputmode", "numeric")
        activity.refresh_from_db()
        expect(box).to_have_value(boxed(activity.occurred_on))

        day = today - datetime.timedelta(days=offset)
        box.fill(boxed(day))
        page.locator("#register-form button[type=submit]").first.click()
        expect(page).to_have_url(re.compile(rf"/r/activities/{activity.pk}/$"))
        expect(page.locator("main")).to_contain_text(shown(day))
        activity.refresh_from_db()
        assert activity.occurred_on == day, language


def test_a_date_not_in_the_calendar_is_explained_and_kept(
    page: Page, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    activity = _activity("editor", timezone.localdate() - datetime.timedelta(days=3))
    log_in(page, base, "editor")
    _in_language(page, base, "vi")
    page.goto(f"{base}/r/activities/{activity.pk}/edit/")
    box = page.locator("#id_occurred_on")
    box.fill("29/02/2025")
    box.press("Tab")  # the picker would put back the last date; the text stays as typed
    expect(box).to_have_value("29/02/2025")
    page.locator("#register-form button[type=submit]").first.click()
    expect(page.locator("#id_occurred_on")).to_have_value("29/02/2025")
    expect(page.locator("#register-form")).to_contain_text("29/02/2025")
    before = activity.occurred_on
    activity.refresh_from_db()
    assert activity.occurred_on == before


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_the_picker_speaks_the_page_language_and_picks(
    page: Page, demo_live_server: object, language: str
) -> None:
    base = str(demo_live_server)
    day = timezone.localdate() - datetime.timedelta(days=40)
    activity = _activity("editor", day)
    log_in(page, base, "editor")
    _in_language(page, base, language)
    page.goto(f"{base}/r/activities/{activity.pk}/edit/")
    _hint, boxed, _shown = LANGUAGES[language]
    box = page.locator("#id_occurred_on")

    # With the mouse: the calendar button opens the month of the date in the box.
    page.locator(".bl-date-button").first.click()
    picker = page.locator(".datepicker.active")
    expect(picker).to_be_visible()
    expect(picker.locator(".view-switch")).to_have_text(MONTH_TITLE[language](day))
    first = day.replace(day=1)
    days = picker.locator(".datepicker-cell.day:not(.prev):not(.next)")
    days.filter(has_text=re.compile(r"^1$")).click()
    expect(box).to_have_value(boxed(first))
    expect(picker).to_be_hidden()

    # From the keyboard: ↓ opens, → moves a day, Enter picks.
    box.focus()
    box.press("ArrowDown")
    expect(picker).to_be_visible()
    box.press("ArrowRight")
    box.press("Enter")
    expect(box).to_have_value(boxed(first + datetime.timedelta(days=1)))


def test_without_javascript_the_box_still_takes_a_typed_date(
    page: Page, browser: Browser, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    activity = _activity("editor", timezone.localdate() - datetime.timedelta(days=5))
    log_in(page, base, "editor")  # with scripts; the session then goes on without them
    context = browser.new_context(
        java_script_enabled=False, storage_state=page.context.storage_state()
    )
    plain = context.new_page()
    plain.set_default_timeout(30000)
    try:
        plain.goto(f"{base}/r/activities/{activity.pk}/edit/")
        expect(plain.locator("#id_occurred_on")).to_have_attribute("placeholder", "dd/mm/yyyy")
        expect(plain.locator(".bl-date-button")).to_have_count(0)  # the picker needs scripts
        day = timezone.localdate() - datetime.timedelta(days=6)
        plain.fill("#id_occurred_on", day.strftime("%d%m%Y"))  # a numeric keypad has no "/"
        with plain.expect_navigation():
            plain.locator("#register-form button[type=submit]").first.click()
        expect(plain.locator("main")).to_contain_text(day.strftime("%d/%m/%Y"))
        activity.refresh_from_db()
        assert activity.occurred_on == day
    finally:
        context.close()
