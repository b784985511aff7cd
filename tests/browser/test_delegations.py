"""A delegation from proposal to reported in the browser: approvals, a member, the ledger entry
and the commitments it brought appear on its page; the calendar lists it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from borderlink.delegations.models import Delegation
from tests.browser.test_gazetteer import log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page: Page) -> None:
    page.click("#register-form button[type=submit]")
    expect(page.locator("#record-fields")).to_be_visible()


def move(page: Page, to: str) -> None:
    page.click(f"#move-{to}")
    expect(page.locator("#delegation-status")).to_have_attribute("data-status", to)


def test_a_delegation_from_proposal_to_report(page: Page, demo_live_server: object) -> None:
    base = str(demo_live_server)
    log_in(page, base, "editor")
    switch_language(page, "en")

    page.goto(f"{base}/r/delegations/new/")
    page.fill("#id_title", "Ha Giang delegation to Wenshan 2020")
    page.select_option("#id_way", "sent")
    page.select_option("#id_level", "province")
    page.fill("#id_home_unit", "VN-P02")
    page.fill("#id_counterpart", "CN-532600")
    page.fill("#id_purpose", "Periodic talks between the provincial secretaries")
    page.select_option("#id_diplomacy", "party")
    page.fill("#id_head_position", "Provincial Party Secretary")
    page.fill("#id_starts_on", "2020-09-14")
    page.fill("#id_ends_on", "2020-09-16")
    page.fill("#id_places", "Wenshan")
    page.fill("#id_ends_on", "2020-09-10")  # before it leaves: refused, with the reason
    page.click("#register-form button[type=submit]")
    expect(page.locator("#id_ends_on ~ .invalid-feedback, .invalid-feedback").first).to_be_visible()
    page.fill("#id_ends_on", "2020-09-16")
    submit(page)
    expect(page.locator("#delegation-status")).to_have_attribute("data-status", "proposed")
    delegation_url = page.url

    # Approving needs the approvals: refused with the reason first.
    page.click("#move-approved")
    expect(page.locator(".alert")).to_contain_text("approvals")
    page.click("#add-approval")
    page.fill("#id_authority", "Provincial Party Standing Committee")
    page.fill("#id_decision_number", "45-QĐ/TU")
    page.fill("#id_given_on", "2020-09-01")
    page.fill("#id_given_by", "Standing Deputy Secretary")
    submit(page)
    page.goto(delegation_url)
    move(page, "approved")

    page.click("#add-member")
    page.select_option("#id_role", "head")
    page.fill("#id_full_name", "Nguyen Van Head")
    page.fill("#id_position", "Provincial Party Secretary")
    submit(page)
    page.goto(delegation_url)
    page.click("#move-under_way")
    expect(page.locator(".alert")).to_contain_text("travel documents")
    page.goto(f"{delegation_url}edit/")
    page.select_option("#id_documents_status", "issued")
    submit(page)
    move(page, "under_way")
    ledger = page.locator("#delegation-ledger")
    expect(ledger).to_contain_text("Ha Giang delegation to Wenshan 2020")
    expect(ledger).to_contain_text("1 person")

    page.click("#add-commitment")
    page.fill("#id_text", "Open the Thanh Thuy – Tianbao market on weekends")
    page.fill("#id_due_on", "2020-12-31")
    submit(page)
    page.goto(delegation_url)
    expect(page.locator("#delegation-commitments")).to_contain_text("Open the Thanh Thuy")

    page.click("#move-reported")
    expect(page.locator(".alert")).to_contain_text("report")
    page.goto(f"{delegation_url}edit/")
    page.fill("#id_report", "Both sides agreed to open the border market on weekends.")
    submit(page)
    move(page, "reported")
    expect(page.locator("#delegation-steps li")).to_have_count(3)
    expect(page.locator("#delegation-commitments")).to_contain_text("Open the Thanh Thuy")

    # The ledger entry shows the delegation's report and the commitment agreed there.
    page.locator("#delegation-ledger a").click()
    expect(page.locator("#record-fields")).to_contain_text("Delegation visit")
    expect(page.locator("#record-fields")).to_contain_text("Both sides agreed")
    expect(page.locator("body")).to_contain_text("Open the Thanh Thuy")

    delegation = Delegation.objects.get(title="Ha Giang delegation to Wenshan 2020")
    assert delegation.status == "reported" and delegation.activity is not None
    assert delegation.activity.persons == 1 and delegation.activity.direction == "sent"

    # Its figure, broken down by the delegation's level, opens down to it.
    period = "from=2020-01-01&to=2020-12-31&as_of=2020-12-31"
    page.goto(f"{base}/stats/dashboard/VN-P02/?{period}")
    page.click('[data-indicator="delegations.sent"] a.figure-value')
    expect(page.locator("#figure-value")).to_contain_text("1")
    page.select_option("#breakdown-by", "delegation_level")
    page.get_by_role("button", name="Show").click()
    row = page.locator("#breakdown-table tbody tr", has_text="Province")
    expect(row).to_contain_text("1")
    row.get_by_role("link").click()
    expect(page.locator("#ledger-entries")).to_contain_text("Ha Giang delegation to Wenshan 2020")

    page.goto(f"{base}/delegations/calendar/?year=2020&month=9")
    expect(page.locator("#calendar-entries")).to_contain_text("Ha Giang delegation to Wenshan 2020")
