"""The field app in a real Chromium with its profile on disk: entries written with no network
survive a reload and a closed browser, and reach the server exactly once when the network is
back, even with every other request of the sync cut."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, Route, expect

from borderlink.border.models import Inspection, MarkerCheck
from borderlink.field.models import Submission
from borderlink.ledger.models import Activity, HandoverDetail
from borderlink.people.models import HandoverPerson
from tests.browser.test_gazetteer import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "thanhthuy"
# A 2×2 JPEG: the photo of a marker, made smaller on the device before it is kept.
PHOTO = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwc"
    "KDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAACAAIBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAA"
    "AAAAAAAAAAD/2gAIAQEAAD8AKp//2Q=="
)


def open_app(context: BrowserContext, base: str) -> Page:
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/field/")
    expect(page.locator("#field-tiles")).to_be_visible()
    return page


def signed_in_app(
    profile: Callable[..., BrowserContext], base: str, **options: Any
) -> tuple[BrowserContext, Page]:
    """The station officer's device: a profile of its own, signed in once, the app open."""
    context = profile(locale="en-GB", **options)
    log_in(context.new_page(), base, OFFICER)
    return context, open_app(context, base)


def take_offline(page: Page) -> None:
    """Once the service worker controls the page, the app starts with no network."""
    page.evaluate("navigator.serviceWorker.ready")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
        expect(page.locator("#field-tiles")).to_be_visible()
    page.context.set_offline(True)
    expect(page.locator("#field-online")).to_have_class("badge is-offline")


def waiting(page: Page) -> Any:
    return page.locator("#field-counts")


def keep(page: Page, form: str, fill: Callable[[Page], None] | None = None) -> None:
    page.click(f"#field-tiles [data-form='{form}']")
    expect(page.locator("#field-form")).to_be_visible()
    if fill:
        fill(page)
    page.click("#field-keep")
    expect(page.locator("#field-tiles")).to_be_visible()


def entering(**fields: str) -> Callable[[Page], None]:
    """Fill each field `#f-<name>` in turn; the nationality is a list, its option chosen."""

    def fill(page: Page) -> None:
        for name, value in fields.items():
            if name == "nationality":
                page.select_option("#f-nationality", value)
            else:
                page.fill(f"#f-{name}", value)

    return fill


def add_child(page: Page, parent_summary: str, child: str, fill: Callable[[Page], None]) -> None:
    card = page.locator(".field-entry", has_text=parent_summary).first
    card.locator(f"[data-add-child='{child}']").click()
    expect(page.locator("#field-form")).to_be_visible()
    fill(page)
    page.click("#field-keep")
    expect(page.locator("#field-tiles")).to_be_visible()


def ten_entries(page: Page) -> None:
    for n in range(4):
        keep(page, "letter", entering(title=f"Field letter {n}"))
    keep(page, "handover", entering(title="Field hand-over", count="3"))
    for name in ("Lục Văn An", "Vàng Thị Bình", "Giàng A Cường"):
        add_child(page, "Field hand-over", "person", entering(full_name=name, nationality="vn"))
    keep(page, "inspection", lambda p: p.fill("#f-patrol", "Field patrol 1"))

    def check(p: Page) -> None:
        p.select_option("#f-marker", index=1)
        p.select_option("#f-condition", "intact")
        p.set_input_files("#f-photo", {"name": "m.jpg", "mimeType": "image/jpeg", "buffer": PHOTO})

    add_child(page, "Field patrol 1", "marker_check", check)


def test_ten_entries_offline_survive_a_reload_and_a_closed_browser_and_arrive_once(
    demo_live_server: object, profile: Callable[..., BrowserContext]
) -> None:
    base = str(demo_live_server)
    context, page = signed_in_app(profile, base)
    take_offline(page)
    before = Activity.objects.count()

    ten_entries(page)
    expect(waiting(page)).to_have_attribute("data-waiting", "10")
    assert Activity.objects.count() == before  # nothing left the device

    page.reload()  # offline: the service worker serves the app, IndexedDB holds the entries
    expect(waiting(page)).to_have_attribute("data-waiting", "10")
    context.close()

    context = profile(locale="en-GB", offline=True)
    page = open_app(context, base)
    expect(waiting(page)).to_have_attribute("data-waiting", "10")

    # Every other request of the sync is cut: half before the server, half after it answered.
    calls = {"n": 0}

    def flaky(route: Route) -> None:
        calls["n"] += 1
        if calls["n"] % 3 == 1:
            route.abort()  # never reached the server
        elif calls["n"] % 3 == 2:
            route.fetch()  # the server saved the batch; its answer is lost on the way back
            route.abort()
        else:
            route.continue_()

    context.route("**/field/sync/", flaky)
    context.set_offline(False)
    for _ in range(20):
        if waiting(page).get_attribute("data-waiting") == "0":
            break
        page.click("#field-send")
        page.wait_for_timeout(500)
    if waiting(page).get_attribute("data-waiting") != "0":
        pytest.fail("left on the device: " + page.locator("#field-waiting").inner_text())
    assert calls["n"] >= 3

    for n in range(4):
        assert Activity.objects.filter(title=f"Field letter {n}").count() == 1
    handover = Activity.objects.get(kind="handover", count=3, home_unit__code__endswith="2025")
    assert HandoverPerson.objects.filter(handover=handover).count() == 3
    inspection = Inspection.objects.get(patrol="Field patrol 1")
    check = MarkerCheck.objects.get(inspection=inspection)
    assert check.photo
    assert Submission.objects.count() == 10


def test_a_refused_entry_and_a_conflict_are_shown_and_resolved(
    demo_live_server: object, profile: Callable[..., BrowserContext]
) -> None:
    base = str(demo_live_server)
    # A recent entry of the station, which the device takes for changing offline.
    _context, page = signed_in_app(profile, base)
    keep(page, "letter", lambda p: p.fill("#f-title", "Letter to correct"))
    recent = page.locator("[data-record^='activities:']", has_text="Letter to correct")
    # Once sent, the entry is among the recent ones at once, and still after a reload.
    expect(recent).to_be_visible()
    expect(waiting(page)).to_have_attribute("data-waiting", "0")
    page.reload()
    expect(recent).to_be_visible()
    take_offline(page)

    recent.locator("[data-action='change']").click()
    page.fill("#f-title", "Corrected at the station")
    page.click("#field-keep")
    # Before 2025 the carried-over station did not exist: the server refuses, saying why.
    keep(page, "letter", entering(title="Dated too early", occurred_on="01/01/2020"))
    activity = Activity.objects.get(title="Letter to correct")
    activity.title = "Corrected at the office"
    activity.save()

    page.context.set_offline(False)
    page.click("#field-send")
    conflict = page.locator(".field-entry[data-status='conflict']")
    refused = page.locator(".field-entry[data-status='refused']")
    expect(conflict).to_contain_text("Corrected at the office")
    expect(conflict).to_contain_text("Corrected at the station")
    expect(refused.locator(".field-error")).not_to_have_count(0)

    conflict.locator("[data-action='keep-mine']").click()
    expect(page.locator("#field-waiting .field-entry")).to_have_count(1)  # the refused one
    activity.refresh_from_db()
    assert activity.title == "Corrected at the station"

    refused.locator("[data-action='edit']").click()
    page.fill("#f-occurred_on", timezone.localdate().strftime("%d/%m/%Y"))
    page.click("#field-keep")
    expect(waiting(page)).to_have_attribute("data-waiting", "0")
    assert Activity.objects.filter(title="Dated too early").count() == 1


def test_logging_out_wipes_the_devices_store(
    demo_live_server: object, profile: Callable[..., BrowserContext]
) -> None:
    base = str(demo_live_server)
    _context, page = signed_in_app(profile, base)
    take_offline(page)
    keep(page, "letter", lambda p: p.fill("#f-title", "Never sent"))
    expect(waiting(page)).to_have_attribute("data-waiting", "1")
    assert page.evaluate(
        "indexedDB.databases().then(d => d.some(x => x.name === 'borderlink-field:thanhthuy'))"
    )
    page.route("**/field/sync/", lambda route: route.abort())  # it stays unsent
    page.context.set_offline(False)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#field-logout button")
    page.wait_for_url(lambda url: "/field/" not in url)
    assert not page.evaluate(
        "indexedDB.databases().then(d => d.some(x => x.name === 'borderlink-field:thanhthuy'))"
    )
    assert not Activity.objects.filter(title="Never sent").exists()


def test_the_log_sheet_is_filled_offline_and_its_cells_arrive_once(
    demo_live_server: object, profile: Callable[..., BrowserContext]
) -> None:
    base = str(demo_live_server)
    _context, page = signed_in_app(profile, base)
    take_offline(page)
    page.click("#field-tiles [data-form='sheet']")
    today = timezone.localdate().isoformat()
    box = page.locator(f"#field-sheet tr[data-day='{today}'] input[data-column='calls']")
    box.fill("7")
    box.press("Tab")
    expect(waiting(page)).to_have_attribute("data-waiting", "1")
    page.reload()  # offline: the cell typed is still there, waiting
    page.click("#field-tiles [data-form='sheet']")
    expect(box).to_have_value("7")
    page.context.set_offline(False)
    expect(waiting(page)).to_have_attribute("data-waiting", "0")
    calls = Activity.objects.filter(
        home_unit__code="VN-02-BGS-THANHTHUY-2025", occurred_on=today, kind="phone_call"
    )
    assert [a.count for a in calls] == [7]


def test_a_hand_over_takes_one_head_count_offline_and_it_arrives_with_it(
    demo_live_server: object, profile: Callable[..., BrowserContext]
) -> None:
    base = str(demo_live_server)
    _context, page = signed_in_app(profile, base)
    take_offline(page)
    keep(page, "handover", entering(title="Counted hand-over", count="1"))
    card = page.locator(".field-entry", has_text="Counted hand-over").first
    expect(card.locator("[data-add-child='head_count']")).to_be_visible()
    # Every count starts at 0: the officer types only the ones that are not.
    add_child(page, "Counted hand-over", "head_count", entering(vn_male="2", cn_female="1"))
    expect(card.locator("[data-add-child='head_count']")).to_have_count(0)  # one per hand-over
    expect(card.locator("[data-add-child='person']")).to_be_visible()
    expect(waiting(page)).to_have_attribute("data-waiting", "2")
    page.context.set_offline(False)
    expect(waiting(page)).to_have_attribute("data-waiting", "0")
    counted = HandoverDetail.objects.get(activity__title="Counted hand-over")
    assert (counted.vn_male, counted.cn_female, counted.total) == (2, 1, 3)


def test_unsent_entries_saved_to_a_file_come_back_once_after_the_store_is_cleared(
    demo_live_server: object, profile: Callable[..., BrowserContext], tmp_path: Any
) -> None:
    base = str(demo_live_server)
    context, page = signed_in_app(profile, base, accept_downloads=True)
    take_offline(page)
    keep(page, "letter", lambda p: p.fill("#f-title", "Kept in a file 1"))
    keep(page, "handover", lambda p: p.fill("#f-title", "Kept in a file 2"))
    add_child(
        page, "Kept in a file 2", "person", entering(full_name="Lý Thị Mai", nationality="vn")
    )
    expect(waiting(page)).to_have_attribute("data-waiting", "3")
    page.click("#field-backup summary")
    page.fill("#field-passphrase", "đồn biên phòng 2026")
    with page.expect_download() as download:
        page.click("#field-export")
    saved = tmp_path / "unsent.json"
    download.value.save_as(saved)
    assert "Lý Thị Mai" not in saved.read_text(encoding="utf-8")  # sealed with the passphrase

    # The browser's storage is cleared (the device key with it); the app starts again online,
    # with the server out of reach for a while.
    page.evaluate(
        "new Promise(r => { const q = indexedDB.deleteDatabase('borderlink-field:thanhthuy');"
        " q.onsuccess = q.onerror = q.onblocked = r; })"
    )
    page.route("**/field/sync/", lambda route: route.abort())
    page.context.set_offline(False)
    page = open_app(context, base)
    expect(waiting(page)).to_have_attribute("data-waiting", "0")
    for _ in range(2):  # loaded twice: kept once
        page.click("#field-backup summary")
        page.fill("#field-passphrase", "đồn biên phòng 2026")
        page.set_input_files("#field-import-file", str(saved))
        expect(waiting(page)).to_have_attribute("data-waiting", "3")
    page.unroute("**/field/sync/")
    page.click("#field-send")
    expect(waiting(page)).to_have_attribute("data-waiting", "0")
    assert Activity.objects.filter(title__startswith="Kept in a file").count() == 2
    assert HandoverPerson.objects.filter(handover__title="Kept in a file 2").count() == 1
