from __future__ import annotations

import datetime
from typing import Any

from borderlink.places.models import Unit
from borderlink.portal.compose import start_versions
from borderlink.portal.models import Article, ArticleVersion, State
from borderlink.portal.workflow import move

DAY = datetime.date(2021, 6, 30)


def make_article(
    slug: str,
    langs: tuple[str, ...] = ("vi",),
    template: str = "foreign-relations",
    unit: str = "VN-P02",
    publish: bool = True,
    **changes: Any,
) -> Article:
    """An article built from a template, its versions published (as a trusted caller)."""
    art = Article.objects.create(
        slug=slug, template=template, unit=Unit.objects.get(code=unit), period_to=DAY, as_of=DAY
    )
    for v in start_versions(art, list(langs)):
        for field, value in changes.items():
            setattr(v, field, value)
        v.save()
        if publish:
            move(v, State.REVIEW)
            move(v, State.PUBLISHED)
    return art


def text_of(content: bytes) -> str:
    import html
    import re

    page = content.decode()
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def published(slug: str, lang: str) -> ArticleVersion:
    return ArticleVersion.objects.get(article__slug=slug, lang=lang, state=State.PUBLISHED)
