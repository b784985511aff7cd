"""The station's monthly log sheet in a real browser: a station officer fills a month with the
keyboard only; a cell that fails keeps its number and says why; on a phone the grid stacks by
day; the accessibility check the portal uses passes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from borderlink.demo.users import DEMO_PASSWORD
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit

# The portal's axe-core check, reused (its fixture and its runner).
from tests.browser.axe import find_violations
from tests.browser.test_gazetteer import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATION = "VN-02-BGS-THANHTHUY-2025"


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def empty_month(first: datetime.date) -> Unit:
    """The station with nothing recorded in the month (the demo's sample ledger fills it)."""
    station = Unit.objects.get(code=STATION)
    Activity.objects.filter(
        home_unit=station, occurred_on__year=first.year, occurred_on__month=first.month
    ).delete()
    return station


def log_in_by_keyboard(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/?next=/ledger/sheet/")
    page.locator("#id_username").press_sequentially(username)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#sheet")).to_be_visible()
    # The sheet's script is at the end of the page: typed before it runs, a cell is never sent.
    page.wait_for_load_state()


def focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def tab_to(page: Page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        if focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}; focus is on #{focused(page)}")


def settled(page: Page) -> None:
    """Every cell saved (none still sending)."""
    expect(page.locator("input.sheet-input.is-saving")).to_have_count(0)


# (key pressed after typing, the cell the focus must then be on); the number typed first.
PLAN: list[tuple[str, str, str]] = [
    ("2", "Tab", "c-01-letters_received"),
    ("1", "Tab", "c-01-talks"),
    ("1", "Tab", "c-01-calls"),
    ("3", "Enter", "c-02-calls"),
    ("1", "ArrowLeft", "c-02-talks"),
    ("2", "ArrowLeft", "c-02-letters_received"),
    ("4", "ArrowDown", "c-03-letters_received"),
    ("1", "ArrowRight", "c-03-talks"),
    ("1", "ArrowRight", "c-03-calls"),
    ("2", "ArrowRight", "c-03-checks"),
    ("1", "ArrowRight", "c-03-patrols"),
    ("1", "ArrowRight", "c-03-handovers"),
    ("2", "ArrowRight", "c-03-persons"),
    ("7", "Enter", "c-04-persons"),
    ("3", "ArrowUp", "c-03-persons"),  # a persons cell on a day without a hand-over: refused
    ("7", "ArrowDown", "c-04-persons"),  # day 3 unchanged (the same 7); back to the refused one
    ("", "Shift+Tab", "c-04-handovers"),
    ("1", "Tab", "c-04-persons"),
    ("5", "Enter", "c-05-persons"),
    ("", "ArrowUp", "c-04-persons"),
]


def test_a_station_officer_fills_a_month_with_the_keyboard_only(
    page: Page, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    first = this_month()
    station = empty_month(first)
    log_in_by_keyboard(page, base, "thanhthuy")
    assert page.url.endswith(f"/ledger/sheet/{STATION}/{first:%Y-%m}/")
    tab_to(page, "c-01-letters_sent")
    for typed, key, where in PLAN:
        if typed:
            page.keyboard.type(typed)
        page.keyboard.press(key)
        assert focused(page) == where, (typed, key, focused(page))
    # Day 4's persons cell was refused when typed before its hand-over, then saved after it.
    more = [(5, "letters_sent", "1"), (6, "talks", "2"), (7, "calls", "1"), (8, "checks", "1")]
    for day, column, typed in more:
        tab_to(page, f"c-{day:02d}-{column}", limit=200)
        page.keyboard.type(typed)
    page.keyboard.press("Tab")
    settled(page)

    cells = {
        (1, "letter", "sent"): 2,
        (1, "letter", "received"): 1,
        (1, "meeting", "joint"): 1,
        (1, "phone_call", "joint"): 3,
        (2, "phone_call", "joint"): 1,
        (2, "meeting", "joint"): 2,
        (2, "letter", "received"): 4,
        (3, "letter", "received"): 1,
        (3, "meeting", "joint"): 1,
        (3, "phone_call", "joint"): 2,
        (3, "bilateral_check", "joint"): 1,
        (3, "joint_patrol", "joint"): 1,
        (3, "handover", "joint"): 2,
        (4, "handover", "joint"): 1,
        (5, "letter", "sent"): 1,
        (6, "meeting", "joint"): 2,
        (7, "phone_call", "joint"): 1,
        (8, "bilateral_check", "joint"): 1,
    }
    got = {
        (a.occurred_on.day, a.kind, a.direction): a.count
        for a in Activity.objects.filter(home_unit=station, occurred_on__gte=first)
    }
    assert got == cells
    persons = dict(
        Activity.objects.filter(home_unit=station, occurred_on__gte=first, kind="handover")
        .order_by("occurred_on")
        .values_list("occurred_on__day", "persons")
    )
    assert persons == {3: 7, 4: 5}
    # 20 cells filled, 18 entries: a hand-over and its persons are one entry.
    assert sum(cells.values()) == 28
    expect(page.locator("#t-all")).to_have_text("28")
    expect(page.locator("#t-col-persons")).to_have_text("12")
    expect(page.locator("#t-day-3")).to_have_text("8")

    page.reload()
    expect(page.locator("#c-03-persons")).to_have_value("7")
    expect(page.locator("#c-02-letters_received")).to_have_value("4")


def test_a_failed_cell_keeps_its_number_and_says_why(page: Page, demo_live_server: object) -> None:
    base = str(demo_live_server)
    first = this_month()
    station = empty_month(first)
    log_in_by_keyboard(page, base, "thanhthuy")
    cell = page.locator("#c-10-talks")
    cell.press_sequentially("2x")
    cell.press("Tab")
    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-c-10-talks")).not_to_be_empty()
    expect(cell).to_have_value("2x")
    expect(page.locator("#sheet-status")).to_contain_text(
        page.locator("#e-c-10-talks").inner_text()
    )

    # The connection drops: the cell keeps its number; "Save the sheet" saves it afterwards.
    page.route("**/cell/", lambda route: route.abort())
    calls = page.locator("#c-11-calls")
    calls.press_sequentially("3")
    calls.press("Tab")
    expect(calls).to_have_attribute("aria-invalid", "true")
    expect(calls).to_have_value("3")
    page.unroute("**/cell/")
    # A server that answers with a page, not the sheet's answer (an error, the login page).
    page.route("**/cell/", lambda route: route.fulfill(status=500, body="<h1>Error</h1>"))
    checks = page.locator("#c-12-checks")
    checks.press_sequentially("1")
    checks.press("Tab")
    expect(page.locator("#e-c-12-checks")).to_contain_text("500")
    expect(checks).to_have_value("1")
    page.unroute("**/cell/")
    cell.fill("2")
    page.locator("#sheet-save").press("Enter")  # saves both cells, then shows the sheet again
    expect(page.locator(".alert-success")).to_be_visible()
    assert Activity.objects.get(home_unit=station, occurred_on=first.replace(day=11)).count == 3
    assert Activity.objects.get(home_unit=station, occurred_on=first.replace(day=10)).count == 2
    assert Activity.objects.get(home_unit=station, occurred_on=first.replace(day=12)).count == 1


def test_on_a_phone_the_sheet_stacks_by_day(browser: Browser, demo_live_server: object) -> None:
    base = str(demo_live_server)
    empty_month(this_month())
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in_by_keyboard(page, base, "thanhthuy")
        boxes: list[Any] = [
            page.locator(f"#c-01-{key}").bounding_box()
            for key in ("letters_sent", "letters_received", "talks")
        ]
        assert all(b is not None for b in boxes)
        assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]  # one under another
        assert abs(boxes[0]["x"] - boxes[1]["x"]) < 2
        day_one = page.locator("tr.sheet-day").first.bounding_box()
        day_two = page.locator("tr.sheet-day").nth(1).bounding_box()
        assert day_one is not None and day_two is not None
        assert day_two["y"] >= day_one["y"] + day_one["height"]  # cards one after another
        assert day_one["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # Each cell still says what it is: its column's name beside it.
        label = page.evaluate(
            "getComputedStyle(document.querySelector('#c-01-talks').closest('td'), '::before')"
            ".content"
        )
        assert label not in ("none", "normal", '""')
    finally:
        context.close()


def test_the_sheet_passes_the_accessibility_check(
    browser: Browser,
    demo_live_server: object,
    axe_source: str,
) -> None:
    base = str(demo_live_server)
    first = this_month()
    station = empty_month(first)
    for title in ("Letter A", "Letter B"):  # a read-only cell: several entries on one day
        Activity.objects.create(
            home_unit=station,
            kind="letter",
            direction="sent",
            occurred_on=first.replace(day=2),
            title=title,
            diplomacy="state",
        )
    found: dict[str, list[dict[str, Any]]] = {}
    for width, user in [(1366, "thanhthuy"), (390, "thanhthuy"), (1366, "leader")]:
        context = browser.new_context(
            locale="vi-VN", bypass_csp=True, viewport={"width": width, "height": 844}
        )
        page = context.new_page()
        page.set_default_timeout(20000)
        try:
            if user == "thanhthuy":
                log_in_by_keyboard(page, base, user)
                cell = page.locator("#c-03-talks")
                cell.press_sequentially("x")
                cell.press("Tab")  # a cell with its error shown
                expect(cell).to_have_attribute("aria-invalid", "true")
            else:
                log_in(page, base, user)
                page.goto(f"{base}/ledger/sheet/{STATION}/{first:%Y-%m}/")
                expect(page.locator("#sheet")).to_be_visible()
                expect(page.locator("input.sheet-input")).to_have_count(0)  # read-only
            violations = find_violations(page, axe_source)
            if violations:
                found[f"{user} at {width}px"] = violations
        finally:
            context.close()
    assert found == {}
