"""Pickers in a real browser: an editor records a meeting and its commitment choosing every linked
record with the keyboard; a district officer is never offered a unit outside their reach; and
axe-core finds no WCAG 2.1 A/AA violation on forms with pickers, open and closed.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from borderlink.accounts.models import User
from borderlink.core.permissions import can_under
from borderlink.demo.users import DEMO_PASSWORD
from borderlink.ledger.models import Activity, Commitment
from borderlink.places.models import Unit
from borderlink.ties.models import Mechanism, Partnership
from tests.browser.axe import find_violations
from tests.browser.test_gazetteer import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Hội đàm chọn bằng bàn phím"


def open_more(page: Page) -> None:
    """Quick entry keeps the less used fields behind "more": open it where there is one."""
    for details in page.locator("#register-form details").all():
        if details.get_attribute("open") is None:
            details.locator("summary").first.click()


def hidden_of(page: Page, name: str) -> Any:
    return page.locator(f"#register-form input[type=hidden][name={name}]")


def type_in(page: Page, name: str, text: str) -> Any:
    """Types `text` into the picker of field `name` and waits for its answer to be shown."""
    box = page.locator(f"#id_{name}")
    box.focus()
    page.keyboard.press("Control+A")
    with page.expect_response(lambda r: f"/pick/{name}/" in r.url and "q=" in r.url):
        page.keyboard.type(text)
    # The live region says how many choices there are (or that none match) once they are shown.
    expect(page.locator(f"#id_{name} ~ [role=status]")).not_to_have_text("")
    return box


def choose(page: Page, name: str, text: str, value: str) -> None:
    """Types `text`, moves down the list with the arrow keys to `value`, chooses it with Enter."""
    box = type_in(page, name, text)
    expect(box).to_have_attribute("aria-expanded", "true")
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    option = listbox.locator(f"[role=option][data-value='{value}']")
    expect(option).to_be_visible()
    wanted = option.get_attribute("id")
    for _step in range(listbox.locator("[role=option]").count()):
        page.keyboard.press("ArrowDown")
        if box.get_attribute("aria-activedescendant") == wanted:
            break
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(hidden_of(page, name)).to_have_value(value)


def offered(page: Page, name: str, text: str) -> list[str]:
    box = type_in(page, name, text)
    options = page.locator(f"#{box.get_attribute('aria-controls')} [role=option]")
    return [str(o.get_attribute("data-value")) for o in options.all()]


def submit(page: Page) -> None:
    page.locator("#register-form button[type=submit]").first.click()
    expect(page.locator("#record-fields")).to_be_visible()


def test_an_editor_records_a_meeting_and_its_commitment_by_picker_with_the_keyboard(
    page: Page, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    partnership = Partnership.objects.get(title="Hà Giang – Vân Nam")
    mechanism = Mechanism.objects.get(code="yn-joint-working-group")
    log_in(page, base, "editor")

    page.goto(f"{base}/r/activities/new/?kind=meeting")
    page.select_option("#id_kind", "meeting")
    open_more(page)
    page.fill("#id_title", TITLE)
    choose(page, "home_unit", "tuyen quang", "VN-P08-2025")  # no diacritics
    choose(page, "counterpart", "yunnan", "CN-530000")  # pinyin
    choose(page, "partnership", "van nam", str(partnership.pk))
    choose(page, "mechanism", "nhom cong tac van nam", mechanism.code)
    # What the box shows is the name, not the code.
    expect(page.locator("#id_home_unit")).to_have_value("Tỉnh Tuyên Quang")
    page.locator("#id_title").focus()
    page.keyboard.press("Enter")  # Enter outside an open list submits the form
    expect(page.locator("#record-fields")).to_be_visible()
    meeting = Activity.objects.get(title=TITLE)
    assert meeting.kind == "meeting"
    assert meeting.home_unit.code == "VN-P08-2025"
    assert meeting.counterpart is not None and meeting.counterpart.code == "CN-530000"
    assert meeting.partnership == partnership and meeting.mechanism == mechanism

    page.goto(f"{base}/r/commitments/new/")
    open_more(page)
    page.fill("#id_text", "Trao đổi danh sách lao động")
    choose(page, "meeting", "chon bang ban phim", str(meeting.pk))
    choose(page, "home_unit", "tuyen quang", "VN-P08-2025")
    due = page.locator("#id_due_on")
    due.fill((datetime.date.today() + datetime.timedelta(days=30)).strftime("%d/%m/%Y"))
    due.press("Escape")  # close the date picker
    submit(page)
    commitment = Commitment.objects.get(text="Trao đổi danh sách lao động")
    assert commitment.meeting == meeting
    assert commitment.home_unit.code == "VN-P08-2025"


def test_a_district_officers_home_unit_picker_never_offers_a_unit_out_of_scope(
    page: Page, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    officer = User.objects.get(username="vixuyen")
    log_in(page, base, "vixuyen")
    page.goto(f"{base}/r/activities/new/?kind=letter")
    open_more(page)
    seen: set[str] = set()
    for text in ("xa", "thanh", "dong van", "ha giang", "tuyen quang", "vn"):
        seen.update(offered(page, "home_unit", text))
    assert seen, "the officer is offered their own units"
    for unit in Unit.objects.filter(code__in=seen):
        assert can_under(officer, Activity, "add", unit.path), unit.code
    assert "VN-C00928-2025" in seen  # Thanh Thủy commune, which holds part of the district
    dong_van = set(
        Unit.objects.filter(path__startswith=Unit.objects.get(code="VN-D026").path).values_list(
            "code", flat=True
        )
    )
    assert not seen & (dong_van | {"VN-P02", "VN-P08-2025"})


def test_forms_with_pickers_pass_the_accessibility_check(
    browser: Browser,
    demo_live_server: object,
    axe_source: str,
) -> None:
    base = str(demo_live_server)
    # axe is injected as a script: the test's browser profile lets it past the page's CSP.
    context = browser.new_context(locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    found: dict[str, Any] = {}
    try:
        log_in(page, base, "editor")
        page.goto(f"{base}/r/activities/new/?kind=meeting")
        open_more(page)
        found["activity form"] = find_violations(page, axe_source)
        type_in(page, "home_unit", "thanh thuy")
        page.keyboard.press("ArrowDown")
        found["activity form, a list open"] = find_violations(page, axe_source)
        page.keyboard.press("Escape")
        type_in(page, "counterpart", "zzzz")  # no match: said beside the box
        expect(page.locator("#id_counterpart ~ .bl-picker-empty")).to_be_visible()
        found["activity form, no match"] = find_violations(page, axe_source)
        partnership = Partnership.objects.get(title="Hà Giang – Vân Nam")
        page.goto(f"{base}/r/partnerships/{partnership.pk}/edit/")
        expect(page.locator(".bl-picker-chip").first).to_be_visible()  # several units: chips
        found["partnership form with chips"] = find_violations(page, axe_source)
        page.goto(f"{base}/r/activities/?home_unit=VN-P08-2025")
        found["list filters"] = find_violations(page, axe_source)
    finally:
        context.close()
    assert {name: v for name, v in found.items() if v} == {}


def test_without_javascript_the_picker_is_the_code_box(
    browser: Browser, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    meeting = Activity.objects.create(
        home_unit=Unit.objects.get(code="VN-P08-2025"),
        kind="meeting",
        occurred_on=datetime.date.today(),
        title="Gặp gỡ không có JavaScript",
        diplomacy="state",
        count=1,
    )
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        # Without JavaScript the language switcher has a submit button of its own: log in by
        # the login form's.
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
        expect(page.locator("#current-user")).to_have_text("editor")
        page.goto(f"{base}/r/activities/?home_unit=VN-P08-2025")
        expect(page.locator("#f-home_unit")).to_have_value("VN-P08-2025")
        page.goto(f"{base}/r/commitments/new/")
        open_more(page)
        box = page.locator("#id_home_unit")
        expect(box).not_to_have_attribute("role", "combobox")
        page.fill("#id_text", "Cam kết gõ mã")
        page.fill("#id_meeting", str(meeting.pk))  # a record without a code: its number
        box.fill("VN-P08-2025")
        page.fill("#id_due_on", datetime.date.today().strftime("%d/%m/%Y"))
        page.locator("#register-form button[type=submit]").first.click()
        expect(page.locator("#record-fields")).to_be_visible()
    finally:
        context.close()
    saved = Commitment.objects.get(text="Cam kết gõ mã")
    assert saved.home_unit.code == "VN-P08-2025" and saved.meeting == meeting
