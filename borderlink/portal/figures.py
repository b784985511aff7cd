"""The portal's figures: which indicators are public, evaluating references, freezing them.

Every figure on a public page comes from the statistics engine, evaluated with the public
clearance (ledger records above "public" count for nothing) and only for the indicators listed in
PUBLIC_INDICATORS. A published text keeps its figures as they were when it was published
(FrozenFigure, FrozenChart); the home page's headline figures are live but cached.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from borderlink.core import cache_versions
from borderlink.core.money import ISO_4217
from borderlink.places.models import Unit
from borderlink.portal import markup
from borderlink.portal.compose import PUBLIC_CLEARANCE, ArticleComposer, composer
from borderlink.portal.models import ArticleVersion, FrozenChart, FrozenFigure, PublicSite
from borderlink.reports.charts import bar_chart, format_number
from borderlink.stats import indicators
from borderlink.stats.display import converted, django_lang, figure_text
from borderlink.stats.engine import Figure, Window, by_year

# The indicators whose figures may be published: aggregates the province already publishes
# (DOMAIN parts 2, 6, 7, 10, 11, 12). An indicator added to stats/indicators.yaml is not public
# until it is listed here, so a new internal figure (incidents, markers' conditions, labour
# registrations) cannot reach the portal by accident.
PUBLIC_INDICATORS = frozenset(
    {
        "station.letters",
        "station.talks",
        "station.political_exchanges",
        "station.unscheduled_exchanges",
        "station.phone_calls",
        "station.joint_checks",
        "station.handovers",
        "station.persons_handed_over",
        "units.border_districts",
        "units.border_communes",
        "units.border_stations",
        "agreements.provincial_in_force",
        "coverage.border_districts_paired",
        "coverage.commune_clusters_paired",
        "coverage.border_communes_paired",
        "coverage.stations_paired",
        "count.residential_areas_paired",
        "count.chinese_villages_towns_paired",
        "count.departments_with_partners",
        "ties.cooperation_since",
        "aid.received_value",
        "aid.given_quantity",
        "labour.workers_sent",
        "education.scholarships",
        "exchanges.all",
    }
)
FIGURES_SECONDS = 600


def is_public(code: str) -> bool:
    return code in PUBLIC_INDICATORS and code in indicators.registry()


def check(parsed: markup.Parsed) -> list[str]:
    """What is wrong with a text's references: unknown or non-public indicators, unknown units."""
    errors = list(parsed.errors)
    codes = [r.code for r in parsed.figure_refs()] + [c for ch in parsed.charts() for c in ch.codes]
    for code in dict.fromkeys(codes):
        if code not in indicators.registry():
            errors.append(_("There is no indicator %(code)s.") % {"code": code})
        elif code not in PUBLIC_INDICATORS:
            errors.append(_("The indicator %(code)s is not public.") % {"code": code})
    wanted = parsed.unit_codes()
    known = set(Unit.objects.filter(code__in=wanted).values_list("code", flat=True))
    for code in sorted(wanted - known):
        errors.append(_("No unit has the code %(code)s.") % {"code": code})
    for ref in parsed.figure_refs():
        if ref.kind == "money":
            ind = indicators.registry().get(ref.code)
            if ref.quote not in ISO_4217:
                errors.append(_("%(code)s is not a currency code.") % {"code": ref.quote})
            elif ind is not None and ind.measure != "value":
                errors.append(_("%(code)s is not an amount of money.") % {"code": ref.code})
    return errors


@dataclass
class Evaluated:
    ref: markup.FigureRef
    figure: Figure
    unit: Unit
    window: Window
    text: str
    bare_text: str
    sources: list[tuple[str, str]]


def evaluate(comp: ArticleComposer, ref: markup.FigureRef) -> Evaluated:
    """One reference, evaluated now (in the composer's language, which must be active)."""
    fig = comp.ref_figure(ref)
    unit = comp.unit_by_code(ref.unit) if ref.unit else comp.unit
    keys = comp.cite(fig)
    sources = [(k, comp.sources[k]) for k in keys]
    if ref.kind == "money":
        text = (
            converted(fig.value, fig.indicator.currency, ref.quote, comp.window.stock_day)
            if fig.value is not None
            else ""
        ) or "—"
        bare = text
    else:
        text, bare = figure_text(fig), figure_text(fig, with_unit=False)
    return Evaluated(ref, fig, unit, comp.ref_window(ref), text, bare, sources)


@dataclass
class ChartData:
    title: str
    labels: list[str]
    series: dict[str, list[float]]
    texts: dict[str, list[str]]
    svg: str
    alt: str


def chart_data(comp: ArticleComposer, chart: markup.Chart) -> ChartData:
    """A chart's figures per year (as in a report) and its picture."""
    window = comp.window
    last = window.end.year
    first = max(window.start.year if window.start else last - 9, last - 19)
    series = by_year(chart.codes, comp.unit, first, last, window.as_of, PUBLIC_CLEARANCE)
    labels = [str(y) for y in range(first, last + 1)]
    values = {
        indicators.get(c).name(comp.lang): [float(f.value or 0) for _y, f in series[c]]
        for c in chart.codes
    }
    title = chart.title or _("Per year")
    drawn = bar_chart(title, labels, values, lang=comp.lang)
    texts = {name: [format_number(v, comp.lang) for v in vals] for name, vals in values.items()}
    return ChartData(title, labels, values, texts, drawn.svg, drawn.alt)


class FreezeError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def freeze(version: ArticleVersion, now: datetime.datetime | None = None) -> int:
    """Evaluate every figure and chart of the version's text and keep them; returns how many."""
    now = now or timezone.now()
    parsed = markup.parse(version.body)
    errors = check(parsed) + check(markup.parse(version.lead))
    if errors:
        raise FreezeError(errors)
    article = version.article
    version.figures.all().delete()
    version.charts.all().delete()
    comp = composer(article.unit, article.window, version.lang)
    with translation.override(django_lang(version.lang)):
        for ref in parsed.figure_refs():
            ev = evaluate(comp, ref)
            fig = ev.figure
            FrozenFigure.objects.create(
                version=version,
                token=ref.token,
                indicator=ref.code,
                unit=ev.unit,
                period_from=ev.window.start,
                period_to=ev.window.end,
                as_of=ev.window.as_of,
                value=fig.value,
                denominator=fig.denominator,
                qualifier=fig.qualifier,
                basis=fig.basis,
                currency=fig.currency,
                text=ev.text[:300],
                bare_text=ev.bare_text[:300],
                unit_label=fig.indicator.unit_label(version.lang)[:100],
                sources=[list(s) for s in ev.sources],
                taken_at=now,
            )
        charts = parsed.charts()
        for chart in charts:
            data = chart_data(comp, chart)
            FrozenChart.objects.create(
                version=version,
                token=chart.token,
                title=data.title[:300],
                labels=data.labels,
                series=data.series,
                texts=data.texts,
                svg=data.svg,
                alt=data.alt,
                taken_at=now,
            )
    version.figures_taken_at = now
    return len(parsed.figure_refs()) + len(charts)


# The home page's headline ------------------------------------------------------------------


@dataclass
class Headline:
    ref: markup.FigureRef
    name: str
    text: str
    unit_name: str  # "" for the site's own unit
    basis: str
    window: Window


def site_window(site: PublicSite, today: datetime.date | None = None) -> Window:
    day = site.figures_as_of(today or timezone.localdate())
    return Window(None, day, day)


def headline_refs(site: PublicSite) -> list[markup.FigureRef]:
    refs = [markup.FigureRef.parse("fig", str(item)) for item in site.headline or []]
    return [r for r in refs if is_public(r.code)]


def headline(site: PublicSite, lang: str) -> list[Headline]:
    """The headline figures in `lang`, evaluated at most every FIGURES_SECONDS per process."""
    window = site_window(site)
    figures = cache_versions.current("figures")  # a ledger change through any server: new ones
    key = f"portal:headline:{site.pk}:{site.generation}:{figures}:{lang}:{window.as_of.isoformat()}"
    found: list[Headline] | None = cache.get(key)
    if found is not None:
        return found
    from borderlink.reports.compose import unit_name

    comp = composer(site.unit, window, lang)
    out = []
    with translation.override(django_lang(lang)):
        for ref in headline_refs(site):
            ev = evaluate(comp, ref)
            out.append(
                Headline(
                    ref,
                    ev.figure.indicator.name(lang),
                    ev.text,
                    unit_name(ev.unit, lang) if ref.unit else "",
                    ev.figure.basis,
                    ev.window,
                )
            )
    cache.set(key, out, FIGURES_SECONDS)
    return out


def live(unit: Unit, window: Window, ref: markup.FigureRef, lang: str) -> Evaluated:
    """A figure as the engine gives it now, for an explanation page (cached a while)."""
    start = window.start.isoformat() if window.start else ""
    figures = cache_versions.current("figures")
    key = f"portal:live:{unit.pk}:{start}:{window.end}:{window.as_of}:{ref.token}:{lang}:{figures}"
    found: Evaluated | None = cache.get(key)
    if found is None:
        comp = composer(unit, window, lang)
        with translation.override(django_lang(lang)):
            found = evaluate(comp, ref)
        cache.set(key, found, FIGURES_SECONDS)
    return found


def plain(value: Decimal | None) -> Any:
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)
