"""Error pages (issue 20): 400, 403, 404 and 500 in the page's language, inside the layout of the
part of the site the reader is on (staff or public portal), saying what happened and where to go.

The handlers are the ones borderlink/urls.py declares (`handler404`…), reached as in production
(DEBUG is False in tests) through a client that answers errors instead of raising them."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from pytest_django import Settings

from borderlink import urls as root_urls
from borderlink.accounts.models import User
from borderlink.core import errors
from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from borderlink.portal.views import errors as portal_errors
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LANGS = ["vi", "en", "zh-hans"]
HTML_LANG = {"vi": "vi", "en": "en", "zh-hans": "zh-Hans"}


def _client(user: User | None, lang: str) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = lang
    return client


def _title(html: str) -> str:
    found = re.search(r'<h1[^>]*id="error-title"[^>]*>(.*?)</h1>', html, re.S)
    assert found, html[:2000]
    return found.group(1).strip()


def _expected(text: object, lang: str) -> str:
    with translation.override(lang):
        return str(text)


@pytest.mark.parametrize("lang", LANGS)
def test_a_record_out_of_reach_is_the_translated_404_in_the_layout(lang: str) -> None:
    officer = make_user("t-thanhthuy-err", Role.STATION, "VN-02-BGS-THANHTHUY")
    elsewhere = Activity.objects.filter(home_unit__code="VN-P02").first()
    assert elsewhere is not None
    page = _client(officer, lang).get(f"/r/activities/{elsewhere.pk}/")
    assert page.status_code == 404  # the gate's policy: out of reach is "not found", never 403
    html = page.content.decode()
    assert f'<html lang="{HTML_LANG[lang]}">' in html
    assert _title(html) == _expected(errors.TEXTS[404].title, lang)
    assert 'id="nav-groups"' in html and 'id="current-user"' in html  # the site's layout
    assert 'href="/"' in html and 'href="/units/search/"' in html  # where to go
    assert elsewhere.title not in html


@pytest.mark.parametrize("lang", LANGS)
def test_a_refusal_is_the_translated_403_with_the_gates_reason(lang: str) -> None:
    viewer = make_user("t-viewer-err", Role.VIEWER, "VN-P02")
    page = _client(viewer, lang).get("/r/activities/new/")
    assert page.status_code == 403
    html = page.content.decode()
    assert _title(html) == _expected(errors.TEXTS[403].title, lang)
    with translation.override(lang):
        reason = translation.gettext("You may not add records here.")
    assert f'<p id="error-detail" class="fw-semibold">{reason}</p>' in html
    assert 'href="/accounts/roles/"' in html


def test_an_unknown_address_for_a_visitor_offers_to_log_in() -> None:
    page = _client(None, "en").get("/no/such/page/")
    assert page.status_code == 404
    html = page.content.decode()
    assert _title(html) == "Page not found"
    assert 'id="error-login"' in html and "/accounts/login/?next=/no/such/page/" in html


def test_the_back_link_is_only_to_this_site() -> None:
    client = _client(None, "en")
    ours = client.get("/nowhere/", HTTP_REFERER="http://testserver/r/activities/")
    assert 'href="http://testserver/r/activities/"' in ours.content.decode()
    theirs = client.get("/nowhere/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in theirs.content.decode()


def test_an_unknown_api_address_answers_json() -> None:
    answer = _client(None, "en").get("/api/no-such-thing/")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "Page not found"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_public_portal_answers_in_its_own_layout_and_the_addresss_language(lang: str) -> None:
    answer = Client(raise_request_exception=False).get(f"/public/{lang}/partnerships/999999/")
    assert answer.status_code == 404
    html = answer.content.decode()
    assert f'<html lang="{HTML_LANG[lang]}" class="portal">' in html
    assert _title(html) == _expected(portal_errors.TEXTS[404].title, lang)
    assert f'href="/public/{lang}/articles/"' in html
    assert "nav-groups" not in html  # not the staff menu
    assert answer.cookies == {} and "Cookie" not in answer.get("Vary", "")
    assert answer["Content-Language"] == lang


def test_a_public_address_without_a_language_uses_the_visitors_choice() -> None:
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/public/nothing-here/").content.decode()
    assert '<html lang="zh-Hans" class="portal">' in html


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def _suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a forged request")


@pytest.fixture
def failing_urls(settings: Settings) -> None:
    """Two more addresses that fail, under the real handlers."""

    class Urls:
        urlpatterns = [
            path("boom/", _boom),
            path("public/en/boom/", _boom),
            path("suspicious/", _suspicious),
            *root_urls.urlpatterns,
        ]
        handler400 = root_urls.handler400
        handler403 = root_urls.handler403
        handler404 = root_urls.handler404
        handler500 = root_urls.handler500

    settings.ROOT_URLCONF = Urls


@pytest.mark.parametrize("lang", LANGS)
def test_a_server_error_is_the_translated_500(failing_urls: None, lang: str) -> None:
    answer = _client(None, lang).get("/boom/")
    assert answer.status_code == 500
    html = answer.content.decode()
    assert _title(html) == _expected(errors.TEXTS[500].title, lang)
    assert "a bug" not in html and "Traceback" not in html


def test_a_server_error_on_the_portal_is_the_portals_500(failing_urls: None) -> None:
    answer = Client(raise_request_exception=False).get("/public/en/boom/")
    assert answer.status_code == 500
    html = answer.content.decode()
    with translation.override("en"):  # the address's language, not the test's
        expected = str(errors.TEXTS[500].title)
    assert 'class="portal"' in html and _title(html) == expected
    assert "no-store" in answer["Cache-Control"]


def test_a_bad_request_is_the_translated_400(failing_urls: None) -> None:
    answer = _client(None, "vi").get("/suspicious/")
    assert answer.status_code == 400
    assert _title(answer.content.decode()) == _expected(errors.TEXTS[400].title, "vi")


def test_the_page_survives_a_layout_that_cannot_be_drawn(
    monkeypatch: pytest.MonkeyPatch, rf: RequestFactory
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("the database is gone")

    monkeypatch.setattr(errors, "render_to_string", broken)
    request = rf.get("/x/")
    with translation.override("en"):
        answer = errors.server_error(request)
    assert answer.status_code == 500
    assert "Something went wrong on our side" in answer.content.decode()


def test_a_form_refused_by_the_csrf_check_says_it_expired() -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["django_language"] = "vi"
    answer = client.post("/accounts/login/", {"username": "editor", "password": "x"})
    assert answer.status_code == 403
    html = answer.content.decode()
    assert _title(html) == _expected(errors.FORM_EXPIRED.title, "vi")
    assert "CSRF" not in html
