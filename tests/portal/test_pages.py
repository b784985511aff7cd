"""The public pages: in the address's language, cacheable, rendered from cached figures, with
their language versions linked and nothing a browser would run inline."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from borderlink.portal.models import PublicSite, State
from borderlink.portal.workflow import move
from tests.portal.conftest import BORDER, FOREIGN, version
from tests.portal.helpers import make_article, text_of

pytestmark = pytest.mark.django_db

SITE_PAGES = [
    "/public/{lang}/",
    "/public/{lang}/articles/",
    f"/public/{{lang}}/articles/{FOREIGN}/",
    f"/public/{{lang}}/articles/{BORDER}/",
    "/public/{lang}/partnerships/",
    "/public/{lang}/gates/",
    "/public/{lang}/gates/VN-02-GATE-THANHTHUY/",
    "/public/{lang}/figures/live/units.border_communes/",
]


@pytest.mark.parametrize(
    ("lang", "html_lang", "letters"),
    [("vi", "vi", "1.456"), ("en", "en", "1,456 letters"), ("zh-hans", "zh-Hans", "1,456")],
)
def test_the_home_page_speaks_the_language_of_its_address(
    lang: str, html_lang: str, letters: str
) -> None:
    response = Client().get(f"/public/{lang}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{html_lang}"' in page
    assert response["Content-Language"] == lang
    tile = re.search(r'data-indicator="station.letters">(.*?)</a>', page, re.S)
    assert tile and letters in tile.group(1)
    assert 'data-indicator="coverage.stations_paired"' in page
    # The latest articles in this language, and the map's public layers with a list beside them.
    assert f"/public/{lang}/articles/{FOREIGN}/" in page
    assert 'data-map="portal-map-data"' in page
    assert f"/public/{lang}/gates/VN-02-GATE-THANHTHUY/" in page


def test_vietnamese_is_the_default_and_a_chosen_language_is_remembered() -> None:
    visitor = Client()
    assert visitor.get("/public/")["Location"] == "/public/vi/"
    response = visitor.get("/public/language/en/", {"next": f"/public/en/articles/{FOREIGN}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/public/en/articles/{FOREIGN}/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert visitor.get("/public/")["Location"] == "/public/en/"
    # The language links lead to the same page in the other language, remembered on the way.
    page = visitor.get(f"/public/en/articles/{FOREIGN}/").content.decode()
    assert f'href="/public/language/zh-hans/?next=/public/zh-hans/articles/{FOREIGN}/"' in page


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/x", "/editorial/"])
def test_the_language_link_goes_nowhere_but_the_public_site(target: str) -> None:
    response = Client().get("/public/language/en/", {"next": target})
    assert response["Location"] == "/public/en/"


@pytest.mark.parametrize("url", SITE_PAGES)
def test_public_pages_can_be_cached_by_anyone(url: str) -> None:
    response = Client().get(url.format(lang="en"))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=" in cache_control
    assert "Cookie" not in response.get("Vary", "")
    assert "Accept-Language" not in response.get("Vary", "")
    assert not response.cookies
    assert response["ETag"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert (
        "unsafe-inline"
        not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    again = Client().get(url.format(lang="en"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("url", SITE_PAGES)
def test_no_script_runs_inline_and_none_comes_from_elsewhere(url: str) -> None:
    page = Client().get(url.format(lang="vi")).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert " on" not in " ".join(re.findall(r"<[a-z]+\b[^>]*\bon[a-z]+=", page))


def test_a_page_served_again_comes_from_the_cache(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    Client().get("/public/en/")
    with django_assert_num_queries(0):
        response = Client().get("/public/en/")
    assert response.status_code == 200


def test_publishing_refreshes_the_cached_pages() -> None:
    before = Client().get("/public/en/articles/").content.decode()
    assert "/public/en/articles/t-fresh/" not in before
    generation = PublicSite.objects.get().generation
    make_article("t-fresh", langs=("en",))
    assert PublicSite.objects.get().generation > generation
    after = Client().get("/public/en/articles/").content.decode()
    assert "/public/en/articles/t-fresh/" in after


def test_language_versions_are_linked_to_each_other() -> None:
    page = Client().get(f"/public/zh-hans/articles/{FOREIGN}/").content.decode()
    assert (
        f'<link rel="canonical" href="http://testserver/public/zh-hans/articles/{FOREIGN}/">'
        in page
    )
    for code, hreflang in (("vi", "vi"), ("en", "en"), ("zh-hans", "zh-Hans")):
        assert (
            f'<link rel="alternate" hreflang="{hreflang}" '
            f'href="http://testserver/public/{code}/articles/{FOREIGN}/">'
        ) in page
    assert f'hreflang="x-default" href="http://testserver/public/vi/articles/{FOREIGN}/"' in page
    assert 'id="other-languages"' in page


def test_a_missing_translation_says_so_and_shows_no_other_language() -> None:
    make_article("t-only-vi", langs=("vi",), title="Chỉ có bản tiếng Việt")
    response = Client().get("/public/en/articles/t-only-vi/")
    assert response.status_code == 404
    text = text_of(response.content)
    assert "has not been published in this language" in text
    assert "Chỉ có bản tiếng Việt" in text  # named, as a link to the Vietnamese version
    assert "/public/vi/articles/t-only-vi/" in response.content.decode()
    assert "Quan hệ" not in text.replace("Chỉ có bản tiếng Việt", "")  # no Vietnamese body
    # Its Vietnamese page offers no English alternate.
    page = Client().get("/public/vi/articles/t-only-vi/").content.decode()
    assert 'hreflang="en"' not in page.split("</head>")[0]


def test_a_draft_translation_is_not_shown_either() -> None:
    make_article("t-draft-en", langs=("vi",))
    make_article("t-draft-en-2", langs=("en",), publish=False)
    art = make_article("t-mixed", langs=("vi",))
    from borderlink.portal.compose import start_versions

    (draft,) = start_versions(art, ["en"])
    draft.title = "A draft that must not show"
    draft.save()
    response = Client().get("/public/en/articles/t-mixed/")
    assert response.status_code == 404
    assert "A draft that must not show" not in response.content.decode()


def test_share_links_are_plain_addresses() -> None:
    page = Client().get(f"/public/en/articles/{FOREIGN}/").content.decode()
    share = page[page.index('id="share-heading"') :]
    share = share[: share.index("</section>")]
    url = f"http%3A%2F%2Ftestserver%2Fpublic%2Fen%2Farticles%2F{FOREIGN}%2F"
    assert f"https://www.facebook.com/sharer/sharer.php?u={url}" in share
    assert "https://twitter.com/intent/tweet?url=" in share
    assert "mailto:?subject=" in share
    assert "<script" not in share and "<img" not in share and "<iframe" not in share


def test_feeds_per_language() -> None:
    for lang, feed, title in (
        ("en", "rss", "Foreign relations raise Ha Giang"),
        ("zh-hans", "atom", "对外关系提升河江地位"),
        ("vi", "rss", "Quan hệ đối ngoại nâng cao vị thế"),
    ):
        response = Client().get(f"/public/{lang}/feed.{feed}")
        assert response.status_code == 200 and "public" in response["Cache-Control"]
        root = ElementTree.fromstring(response.content)
        text = ElementTree.tostring(root, encoding="unicode")
        assert title in text
        assert f"/public/{lang}/articles/{FOREIGN}/" in text
        assert f"/public/{lang}/articles/{BORDER}/" in text
    move(version(FOREIGN, "en"), State.WITHDRAWN)
    assert FOREIGN not in Client().get("/public/en/feed.rss").content.decode()


def test_the_sitemap_lists_every_public_page_with_its_language_versions() -> None:
    response = Client().get("/public/sitemap.xml")
    root = ElementTree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = {u.findtext("s:loc", namespaces=ns): u for u in root.findall("s:url", ns)}
    for lang in ("vi", "en", "zh-hans"):
        for url in SITE_PAGES:
            assert f"http://testserver{url.format(lang=lang)}" in locs, url
    entry = locs[f"http://testserver/public/en/articles/{FOREIGN}/"]
    langs = {link.get("hreflang") for link in entry.findall("x:link", ns)}
    assert langs == {"vi", "en", "zh-Hans"}


def test_charts_come_with_a_table_of_their_figures() -> None:
    page = Client().get(f"/public/vi/articles/{BORDER}/").content.decode()
    chart = page[page.index('<figure class="portal-chart">') :]
    chart = chart[: chart.index("</figure>")]
    assert re.search(r'role="img" aria-label="[^"]+: ', chart)
    assert "<svg" in chart and "<table" in chart and '<th scope="row">2020</th>' in chart


def test_gate_and_partnership_pages_name_both_sides_from_the_gazetteer() -> None:
    gate = text_of(Client().get("/public/en/gates/VN-02-GATE-THANHTHUY/").content)
    assert "International border gate" in gate and "Tianbao Port" in gate and "天保口岸" in gate
    gates = text_of(Client().get("/public/vi/gates/").content)
    assert "Cửa khẩu Xín Mần" in gates and "Cửa khẩu Đô Long" in gates
    assert Client().get("/public/en/gates/CN-532624-GATE-TIANBAO/").status_code == 404
    listing = Client().get("/public/en/partnerships/").content.decode()
    pks = re.findall(r'href="/public/en/partnerships/(\d+)/"', listing)
    assert len(pks) == 4
    pages = [text_of(Client().get(f"/public/en/partnerships/{pk}/").content) for pk in pks]
    assert any("Tianbao Town" in p and "2018" in p for p in pages)
    assert any("Friendship station, peaceful border" in p for p in pages)


def test_only_public_indicators_have_a_public_explanation() -> None:
    assert Client().get("/public/en/figures/live/trade.turnover_as_printed/").status_code == 404
    assert Client().get("/public/en/figures/live/no.such/").status_code == 404
    # Units outside the site's own unit have no public figure page.
    assert Client().get("/public/en/figures/live/station.letters/VN-P04/").status_code == 404
    ok = Client().get("/public/en/figures/live/station.letters/VN-02-BGS-THANHTHUY/")
    assert ok.status_code == 200 and "1,456 letters" in text_of(ok.content)


def test_a_frozen_figure_of_an_unpublished_version_is_not_public() -> None:
    v = version(FOREIGN, "en")
    frozen = v.figures.first()
    assert frozen is not None
    assert Client().get(f"/public/en/figures/{frozen.pk}/").status_code == 200
    assert Client().get(f"/public/vi/figures/{frozen.pk}/").status_code == 404  # other language
    move(v, State.WITHDRAWN)
    assert Client().get(f"/public/en/figures/{frozen.pk}/").status_code == 404


def test_the_gates_come_from_the_border_register_with_their_pairs(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from borderlink.border.models import Gate
    from borderlink.core.context import acting_as
    from borderlink.portal.public import forget_site

    page = Client().get("/public/en/gates/").content.decode()
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page, re.S)
    text = [tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in row) for row in rows]
    assert len(text) == 2  # our side's gates; the other side's appear as their pairs
    thanh_thuy = next(row for row in text if "Thanh" in row[0])
    assert thanh_thuy[1] == "International border gate" and "Tianbao" in thanh_thuy[2]
    xin_man = next(row for row in text if "Xin Man" in row[0] or "Xín Mần" in row[0])
    assert xin_man[1].startswith("Bilateral border gate") and "Dulong" in xin_man[2]
    # The register is the one source: a gate whose pair is dropped there shows none here.
    gate = Gate.objects.get(code="VN-02-GATE-XINMAN")
    generation = PublicSite.objects.get().generation
    with acting_as(None, reason="test"), django_capture_on_commit_callbacks(execute=True):
        Gate.objects.filter(counterpart=gate).update(counterpart=None)
        gate.counterpart = None
        gate.save()
    # Public pages are cached by generation: the register's save starts the next one.
    assert PublicSite.objects.get().generation == generation + 1
    forget_site()  # the site's settings are read at most every few seconds per process
    page = Client().get("/public/en/gates/").content.decode()
    assert "Dulong" not in page and "Tianbao" in page
