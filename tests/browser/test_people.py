"""A labour officer sees a worker's identity; the province's editor sees it masked."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from borderlink.people.models import LabourRegistration
from borderlink.places.models import Unit
from borderlink.ties.models import Agreement
from tests.browser.test_gazetteer import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME, ID_NUMBER = "Lù Thị Duyên", "002196001122"


def test_a_labour_officer_sees_identities_and_an_editor_sees_them_masked(
    page: Page, demo_live_server: object
) -> None:
    base = str(demo_live_server)
    record = LabourRegistration.objects.create(
        agreement=Agreement.objects.filter(domain="labour").earliest("pk"),
        home_unit=Unit.objects.get(code="VN-D030"),
        home_commune=Unit.objects.get(code="VN-C00928"),
        full_name=NAME,
        birth_date=datetime.date(1996, 3, 4),
        id_number=ID_NUMBER,
        departed_on=datetime.date(2019, 3, 1),
        status="working",
    )
    log_in(page, base, "labour")
    page.goto(f"{base}/r/labour-registrations/{record.pk}/")
    expect(page.locator("#record-fields")).to_contain_text(NAME)
    expect(page.locator("#record-fields")).to_contain_text(ID_NUMBER)
    page.goto(f"{base}/r/labour-registrations/?q={ID_NUMBER}")
    expect(page.locator("main")).to_contain_text(NAME)

    page.context.clear_cookies()
    log_in(page, base, "editor")
    page.goto(f"{base}/r/labour-registrations/{record.pk}/")
    fields = page.locator("#record-fields")
    expect(fields).to_contain_text("•••")
    expect(fields).not_to_contain_text(NAME)
    expect(fields).not_to_contain_text(ID_NUMBER)
