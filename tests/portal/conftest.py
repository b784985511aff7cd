"""The portal's tests run on the demo (tests/conftest.py loads it once per database): the public
site of Hà Giang with the two seed articles published in three languages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from borderlink.portal import public
from borderlink.portal.models import Article, ArticleVersion

FOREIGN = "ha-giang-foreign-relations-2021"
BORDER = "ha-giang-border-management-2020"


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    """Pages and figures are cached per process; each test starts from the database."""
    cache.clear()
    public.forget_site()
    yield
    cache.clear()
    public.forget_site()


def version(slug: str, lang: str) -> ArticleVersion:
    return ArticleVersion.objects.get(article__slug=slug, lang=lang)


def article(slug: str) -> Article:
    return Article.objects.get(slug=slug)
