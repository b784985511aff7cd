"""An article's text as HTML blocks: frozen figures for the public, live ones for a preview."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from borderlink.places.models import Unit
from borderlink.portal import markup
from borderlink.portal.models import ArticleVersion, FrozenChart, FrozenFigure
from borderlink.portal.templatetags.portal import public_name
from borderlink.reports.compose import unit_name
from borderlink.stats import indicators


@dataclass
class Shown:
    """A figure as a page shows it."""

    text: str
    bare_text: str
    url: str
    indicator: str
    name: str
    unit_label: str


@dataclass
class ChartShown:
    title: str
    svg: str
    alt: str
    names: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass
class Rendered:
    blocks: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def names(codes: set[str]) -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.filter(code__in=codes)}


def listed(versions: list[ArticleVersion]) -> list[tuple[ArticleVersion, str, str]]:
    """(version, title, lead) as plain text for lists and feeds, with one query for the names."""
    texts = [t for v in versions for t in (v.title, v.lead)]
    codes = {m.group(2) for t in texts for m in markup.INLINE.finditer(t) if m.group(1) == "name"}
    units = names(codes)
    return [(v, plain(v.title, v.lang, units), plain(v.lead, v.lang, units)) for v in versions]


def plain(text: str, lang: str, units: dict[str, Unit] | None = None) -> str:
    """A text with {name:…} references as plain text (titles, leads in feeds)."""
    wanted = {m.group(2) for m in markup.INLINE.finditer(text) if m.group(1) == "name"}
    units = units if units is not None else names(wanted)

    def replace(m: re.Match[str]) -> str:
        unit = units.get(m.group(2))
        return unit_name(unit, lang) if unit and m.group(1) == "name" else ""

    return markup.INLINE.sub(replace, text)


def _paragraph(
    text: str, lang: str, figures: dict[str, Shown], units: dict[str, Unit]
) -> SafeString:
    out: list[str] = []
    last = 0
    for m in markup.INLINE.finditer(text):
        out.append(escape(text[last : m.start()]))
        last = m.end()
        kind, arg = m.group(1), m.group(2)
        if kind == "name":
            unit = units.get(arg)
            out.append(public_name(unit, lang) if unit else escape(arg))
            continue
        shown = figures.get(markup.FigureRef.parse(kind, arg).token)
        if shown is None:
            out.append("—")
        elif shown.url:
            out.append(
                format_html(
                    '<a class="portal-figure" href="{}" data-indicator="{}">{}</a>',
                    shown.url,
                    shown.indicator,
                    shown.text,
                )
            )
        else:
            out.append(
                format_html(
                    '<span class="portal-figure" data-indicator="{}">{}</span>',
                    shown.indicator,
                    shown.text,
                )
            )
    out.append(escape(text[last:]))
    # Every piece above is escaped or built by format_html.
    return mark_safe("".join(str(o) for o in out))


def render(
    parsed: markup.Parsed,
    lang: str,
    figures: dict[str, Shown],
    charts: dict[str, ChartShown],
) -> Rendered:
    units = names(parsed.unit_codes())
    result = Rendered()
    for index, block in enumerate(parsed.blocks):
        if isinstance(block, markup.Heading):
            result.blocks.append(
                {
                    "kind": "heading",
                    "text": plain(block.text, lang, units),
                    "id": slugify(block.text, allow_unicode=False) or f"section-{index}",
                }
            )
        elif isinstance(block, markup.Paragraph):
            result.blocks.append(
                {"kind": "paragraph", "html": _paragraph(block.text, lang, figures, units)}
            )
        elif isinstance(block, markup.Table):
            rows = []
            one_unit = {ref.unit for ref in block.figures}
            caption = block.caption
            shared = units.get(next(iter(one_unit))) if len(one_unit) == 1 else None
            if shared is not None and not caption:
                caption = unit_name(shared, lang)
            for ref in block.figures:
                shown = figures.get(ref.token)
                if shown is None:
                    result.missing.append(ref.token)
                    continue
                where = units.get(ref.unit) if shared is None else None
                rows.append(
                    {
                        "name": shown.name,
                        "unit": public_name(where, lang) if where else "",
                        "figure": shown.bare_text,
                        "label": shown.unit_label,
                        "url": shown.url,
                        "indicator": shown.indicator,
                    }
                )
            result.blocks.append({"kind": "table", "caption": caption, "rows": rows})
        elif isinstance(block, markup.Chart):
            chart = charts.get(block.token)
            if chart is None:
                result.missing.append(block.token)
                continue
            result.blocks.append({"kind": "chart", "chart": chart, "id": f"chart-{index}"})
    return result


def frozen(version: ArticleVersion, url_lang: str) -> Rendered:
    """A published version as the public sees it: only what was frozen at publication."""
    lang = version.lang
    figures: dict[str, Shown] = {}
    sources: dict[str, str] = {}
    for f in version.figures.all():
        assert isinstance(f, FrozenFigure)
        ind = indicators.registry().get(f.indicator)
        figures[f.token] = Shown(
            f.text,
            f.bare_text or f.text,
            reverse("portal:frozen-figure", args=[url_lang, f.pk]),
            f.indicator,
            ind.name(lang) if ind else f.indicator,
            f.unit_label,
        )
        for code, citation in f.sources:
            sources.setdefault(code, citation)
    charts = {c.token: chart_shown(c) for c in version.charts.all()}
    result = render(markup.parse(version.body), lang, figures, charts)
    result.sources = dict(sorted(sources.items()))
    return result


def chart_shown(c: FrozenChart) -> ChartShown:
    names = list(c.texts)
    rows = [(label, [c.texts[n][i] for n in names]) for i, label in enumerate(c.labels)]
    return ChartShown(c.title, c.svg, c.alt, names, rows)


def live(version: ArticleVersion) -> Rendered:
    """A draft as it would be published now (the editors' preview): figures evaluated live."""
    from django.utils import translation

    from borderlink.portal.compose import composer
    from borderlink.portal.figures import chart_data, evaluate
    from borderlink.stats.display import django_lang

    article, lang = version.article, version.lang
    parsed = markup.parse(version.body)
    comp = composer(article.unit, article.window, lang)
    figures: dict[str, Shown] = {}
    charts: dict[str, ChartShown] = {}
    sources: dict[str, str] = {}
    with translation.override(django_lang(lang)):
        for ref in parsed.figure_refs():
            if ref.code not in indicators.registry():
                continue
            try:
                ev = evaluate(comp, ref)
            except Exception as exc:  # a wrong reference shows as missing in the preview
                figures[ref.token] = Shown(f"[{exc}]", "", "", ref.code, ref.code, "")
                continue
            url = reverse("stats:figure", args=[ref.code, ev.unit.code]) + (
                f"?to={ev.window.end}&as_of={ev.window.as_of}"
                # an empty `from` is "since the first record" (the default is the year)
                + f"&from={ev.window.start or ''}"
            )
            figures[ref.token] = Shown(
                ev.text,
                ev.bare_text,
                url,
                ref.code,
                ev.figure.indicator.name(lang),
                ev.figure.indicator.unit_label(lang),
            )
            sources.update(dict(ev.sources))
        for chart in parsed.charts():
            if all(c in indicators.registry() for c in chart.codes):
                data = chart_data(comp, chart)
                names_ = list(data.texts)
                charts[chart.token] = ChartShown(
                    data.title,
                    data.svg,
                    data.alt,
                    names_,
                    [
                        (label, [data.texts[n][i] for n in names_])
                        for i, label in enumerate(data.labels)
                    ],
                )
    result = render(parsed, lang, figures, charts)
    result.sources = dict(sorted(sources.items()))
    if not result.blocks:
        result.missing.append(_("The text is empty."))
    return result
