"""The demo's public portal (demo/data/portal.yaml): the site and the two seed articles.

Each article is built from its report template; its title, its lead and the editor's changes to
the text are written through the editors' form (validated like an editor's typing); each language
version goes through the workflow as the demo editor: draft → review → published, which freezes
its figures. The load can be repeated: an article whose address exists is left as it is.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError
from django.db import transaction

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.models import Source
from borderlink.places.models import Unit
from borderlink.portal import figures, markup
from borderlink.portal.compose import start_versions
from borderlink.portal.forms import VersionForm
from borderlink.portal.models import Article, PublicSite, State
from borderlink.portal.workflow import move

FILE = Path(__file__).parent / "data" / "portal.yaml"


class PortalDataError(CommandError):
    pass


def _date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _site(spec: dict[str, Any]) -> PublicSite:
    unit = Unit.objects.get(code=spec["unit"])
    headline = [str(code) for code in spec.get("headline", [])]
    errors = figures.check(markup.parse(" ".join("{fig:" + code + "}" for code in headline)))
    if errors:
        raise PortalDataError(f"{FILE.name}: site headline: {'; '.join(errors)}")
    site = PublicSite.objects.order_by("pk").first() or PublicSite(unit=unit)
    site.unit = unit
    site.name_vi, site.name_en, site.name_zh = (spec["name"][k] for k in ("vi", "en", "zh"))
    site.headline = headline
    site.full_clean()
    site.save()
    return site


def _article(entry: dict[str, Any], editor: User) -> int:
    if Article.objects.filter(slug=entry["slug"]).exists():
        return 0
    source = Source.objects.get(code=entry["source"]) if entry.get("source") else None
    article = Article.objects.create(
        slug=entry["slug"],
        template=entry["template"],
        unit=Unit.objects.get(code=entry["unit"]),
        period_from=_date(entry["period_from"]) if entry.get("period_from") else None,
        period_to=_date(entry["period_to"]),
        as_of=_date(entry.get("as_of") or entry["period_to"]),
        source=source,
    )
    published = 0
    edits = entry.get("edits", {})
    for version in start_versions(article, list(entry["title"])):
        body = version.body
        for old, new in [*edits.get("*", []), *edits.get(version.lang, [])]:
            if old not in body:
                raise PortalDataError(
                    f"{FILE.name}: {entry['slug']} [{version.lang}]: the text has no {old!r} "
                    "(has the report template changed?)"
                )
            body = body.replace(old, new)
        form = VersionForm(
            data={
                "title": entry["title"][version.lang],
                "lead": entry.get("lead", {}).get(version.lang, ""),
                "body": body,
            },
            instance=version,
        )
        if not form.is_valid():
            raise PortalDataError(f"{FILE.name}: {entry['slug']} [{version.lang}]: {form.errors}")
        form.save()
        move(version, State.REVIEW, editor, "demo: text written from the report template")
        move(version, State.PUBLISHED, editor, "demo: reviewed and published")
        published += 1
    return published


@transaction.atomic
def load() -> dict[str, int]:
    spec = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    editor = User.objects.get(username=spec["editor"])
    counts = {"articles": 0, "versions published": 0}
    with acting_as(editor, reason="load-demo"):
        _site(spec["site"])
        for entry in spec.get("articles", []):
            published = _article(entry, editor)
            counts["articles"] += 1 if published else 0
            counts["versions published"] += published
    PublicSite.bump()
    return counts
