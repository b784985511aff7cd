"""A user hits a 403 and a 404 in each language and sees the translated page, inside the site's
layout, with somewhere to go (issue 20); a visitor of the public portal gets the portal's page.
The live server runs with DEBUG off, so these are the handlers borderlink/urls.py declares."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from borderlink.core import errors
from borderlink.ledger.models import Activity
from borderlink.portal.views import errors as portal_errors
from tests.browser.test_gazetteer import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HTML_LANG = {"vi": "vi", "en": "en", "zh-hans": "zh-Hans"}


def _in(lang: str, text: object) -> str:
    with translation.override(lang):
        return str(text)


@pytest.mark.parametrize("lang", ["vi", "en", "zh-hans"])
def test_a_refusal_and_a_missing_record_in_each_language(
    browser: Any, demo_live_server: object, lang: str
) -> None:
    base = str(demo_live_server)
    elsewhere = Activity.objects.filter(home_unit__code="VN-P02").first()
    assert elsewhere is not None
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        # A provincial viewer may read the registers but not add to them: 403.
        log_in(page, base, "leader")
        answer = page.goto(f"{base}/r/activities/new/", referer=f"{base}/r/activities/")
        assert answer is not None and answer.status == 403
        expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[lang])
        expect(page.locator("#error-title")).to_have_text(_in(lang, errors.TEXTS[403].title))
        expect(page.locator("#error-detail")).to_have_text(
            _in(lang, translation.gettext_lazy("You may not add records here."))
        )
        expect(page.locator("#nav-groups")).to_be_visible()  # inside the site's layout
        back = page.locator("#error-links a").first
        expect(back).to_have_attribute("href", f"{base}/r/activities/")  # where they came from
        back.click()
        expect(page).to_have_url(f"{base}/r/activities/")
        page.context.clear_cookies()

        # A station officer asks for a provincial record: not found, as the gate answers.
        context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
        log_in(page, base, "thanhthuy")
        answer = page.goto(f"{base}/r/activities/{elsewhere.pk}/")
        assert answer is not None and answer.status == 404
        expect(page.locator("#error-title")).to_have_text(_in(lang, errors.TEXTS[404].title))
        expect(page.locator("#error-what")).to_have_text(_in(lang, errors.TEXTS[404].what))
        expect(page.get_by_text(elsewhere.title)).to_have_count(0)
        page.locator("#error-links a[href='/']").click()
        expect(page).to_have_url(f"{base}/")

        # The public portal answers in its own layout, in the address's language.
        answer = page.goto(f"{base}/public/{lang}/partnerships/987654/")
        assert answer is not None and answer.status == 404
        expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[lang])
        expect(page.locator("#error-title")).to_have_text(_in(lang, portal_errors.TEXTS[404].title))
        expect(page.locator(".portal-nav")).to_be_visible()
        expect(page.locator(f"#error-links a[href='/public/{lang}/articles/']")).to_be_visible()
    finally:
        context.close()
