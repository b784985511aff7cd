"""From a report template to the editable text of an article.

The report engine (`reports.compose.Composer`) fills a template into a `Document`. An article
needs the same document with its figures still as references, so that they stay live while the
editor works and can be frozen at publication: `ArticleComposer` is the report composer with
figure placeholders kept, tables and charts kept as lists of indicators. Everything else (names,
the period, sentences left out when all their figures are missing) is the report's own logic.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from borderlink.places.models import Unit
from borderlink.places.scope import default_as_of
from borderlink.portal import markup
from borderlink.portal.models import Article, ArticleVersion
from borderlink.reports.compose import PLACEHOLDER, Composer, Template, get_template
from borderlink.reports.document import Chart, Document, Paragraph, Table
from borderlink.stats.display import django_lang
from borderlink.stats.engine import Figure, Window

# The portal's figures are public: evaluated with the clearance of a visitor who is not logged in
# (core.permissions.clearance(AnonymousUser()) == Sensitivity.PUBLIC == 0).
PUBLIC_CLEARANCE = 0

_HELD = re.compile("\x00(\\d+)\x00")


@dataclass
class FigureTable(Table):
    refs: list[markup.FigureRef] = field(default_factory=list)


@dataclass
class FigureChart(Chart):
    codes: list[str] = field(default_factory=list)


class ArticleComposer(Composer):
    """The report composer, keeping figure references; also evaluates a single reference."""

    def fill(self, text: str) -> tuple[str, list[str], bool]:
        held: list[str] = []
        figures: list[markup.FigureRef] = []

        def hold(match: re.Match[str]) -> str:
            name, arg = match.group(1), match.group(2) or ""
            if name in ("fig", "money"):
                ref = markup.FigureRef.parse(name, arg)
                figures.append(ref)
                held.append("{" + ref.token + "}")
            elif name == "unit":
                held.append("{name:" + self.unit.code + "}")
            elif name == "name":
                held.append(match.group(0))
            else:
                return match.group(0)
            return f"\x00{len(held) - 1}\x00"

        sentence, _cited, _keep = super().fill(PLACEHOLDER.sub(hold, text))
        sentence = _HELD.sub(lambda m: held[int(m.group(1))], sentence)
        # As in a report: a sentence whose figures are all missing is left out.
        keep = not figures or any(self.ref_figure(ref).value is not None for ref in figures)
        return sentence, [], keep

    def table(self, spec: dict[str, Any]) -> Table:
        where = spec.get("unit", "")
        caption = spec.get("caption", {}).get(self.lang, "") if spec.get("caption") else ""
        refs = [markup.FigureRef("fig", code, where) for code in spec["indicators"]]
        return FigureTable(columns=[], rows=[], caption=caption, refs=refs)

    def chart(self, spec: dict[str, Any]) -> Chart:
        title = spec.get("title", {}).get(self.lang, "") if spec.get("title") else ""
        return FigureChart(title=title, png=b"", svg="", codes=list(spec["indicators"]))

    # A single reference ---------------------------------------------------------------------

    def ref_window(self, ref: markup.FigureRef) -> Window:
        """The window of a reference: another unit's figure stops at that unit's last day (as
        `Composer.figure` does)."""
        if not ref.unit:
            return self.window
        unit = self.unit_by_code(ref.unit)
        as_of = min(self.window.as_of, default_as_of(unit, self.window.as_of))
        return Window(self.window.start, min(self.window.end, as_of), as_of)

    def ref_figure(self, ref: markup.FigureRef) -> Figure:
        return self.figure(ref.code, ref.unit)


def composer(unit: Unit, window: Window, lang: str) -> ArticleComposer:
    """A composer for evaluating references outside a template (an edited text)."""
    return ArticleComposer(Template("article", {}), unit, window, lang, PUBLIC_CLEARANCE)


@dataclass
class Draft:
    title: str
    body: str
    issued_on: datetime.date | None


def to_blocks(doc: Document) -> list[markup.Block]:
    blocks: list[markup.Block] = []
    for section in doc.sections:
        blocks.append(markup.Heading(section.heading))
        for block in section.blocks:
            if isinstance(block, FigureTable):
                blocks.append(markup.Table(block.refs, block.caption))
            elif isinstance(block, FigureChart):
                blocks.append(markup.Chart(block.codes, block.title))
            elif isinstance(block, Paragraph):
                blocks.append(markup.Paragraph(block.text))
    return blocks


def start_versions(article: Article, langs: list[str]) -> list[ArticleVersion]:
    """Draft versions of `article` in `langs`, each filled from the article's report template."""
    made = []
    for lang in langs:
        draft = draft_from_template(article.template, article.unit, article.window, lang)
        made.append(
            ArticleVersion.objects.create(
                article=article, lang=lang, title=draft.title, body=draft.body
            )
        )
    return made


def draft_from_template(template_code: str, unit: Unit, window: Window, lang: str) -> Draft:
    """The report template filled for `unit` and `window` in `lang`, as an article's text."""
    lang = "zh" if lang.startswith("zh") else lang[:2]
    with translation.override(django_lang(lang)):
        doc = ArticleComposer(
            get_template(template_code), unit, window, lang, PUBLIC_CLEARANCE
        ).compose()
    return Draft(doc.title, markup.to_text(to_blocks(doc)), doc.issued_on)
