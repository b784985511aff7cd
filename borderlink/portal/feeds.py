"""RSS and Atom feeds of the published articles, one pair per language."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from borderlink.portal import public
from borderlink.portal import render as body
from borderlink.portal.langs import ARTICLE_LANG, HREFLANG, URL_LANG
from borderlink.portal.models import ArticleVersion

ITEMS = 30


class ArticlesRss(Feed):
    def get_object(self, request: HttpRequest, lang: str) -> str:
        return lang

    def title(self, lang: str) -> str:
        s = public.site()
        return s.name(ARTICLE_LANG[lang]) if s else _("Public portal")

    def link(self, lang: str) -> str:
        return reverse("portal:home", args=[lang])

    def description(self, lang: str) -> str:
        return _("Articles published from the province's records.")

    def language(self, lang: str) -> str:  # type: ignore[override]
        return HREFLANG[lang]

    def feed_url(self, lang: str) -> str:
        return reverse("portal:feed-rss", args=[lang])

    def items(self, lang: str) -> list[ArticleVersion]:
        return list(public.published(ARTICLE_LANG[lang]).order_by("-published_at", "-pk")[:ITEMS])

    def item_title(self, item: ArticleVersion) -> str:
        return body.plain(item.title, item.lang)

    def item_description(self, item: ArticleVersion) -> str:
        return body.plain(item.lead, item.lang)

    def item_link(self, item: ArticleVersion) -> str:
        return reverse("portal:article", args=[URL_LANG[item.lang], item.article.slug])

    def item_guid(self, item: ArticleVersion) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: ArticleVersion) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: ArticleVersion) -> datetime.datetime | None:
        return item.published_at


class ArticlesAtom(ArticlesRss):
    feed_type = Atom1Feed

    def feed_url(self, lang: str) -> str:
        return reverse("portal:feed-atom", args=[lang])

    def subtitle(self, lang: str) -> str:
        return self.description(lang)
