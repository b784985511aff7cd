"""Filling a report template (reports/data/*.yaml) for a unit, a period and a language.

A template names its sections, the indicators of each section's table and chart, and narrative
sentences in vi/en/zh with placeholders:

  {unit}                      the report's unit, from the gazetteer, in the report's language
  {place}                     the unit's name without its type ("Hà Giang")
  {name:CODE}                 any unit's name (Chinese units get their characters in vi and en)
  {fig:INDICATOR}             a figure for the report's unit and period ("1.456", "34/34")
  {fig:INDICATOR@CODE}        the same figure for another unit (e.g. a border-guard station)
  {money:INDICATOR:USD}       the figure converted with the dated exchange rate, which is stated
  {period} {from} {to}        the period
  {ret:…} {length:…} {gates:…} …  single facts from the records (see reports/facts.py)

A sentence whose figures are all missing is left out rather than printed with blanks. Every
figure's returns bring their sources: a sentence carries the numbers of its sources (printed as
superscripts) and the document lists them at the end, described in the report's language.

The issuing body, its abbreviation in the number and symbol ("SNgV" for the department of
foreign affairs, not the "SNV" of the department of home affairs) and the signer come from
reports/data/settings/issuers.yaml for the report's unit or its nearest ancestor, so each
office sets its own.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.utils import translation
from django.utils.translation import gettext as _

from borderlink.core.models import Source
from borderlink.core.numbers import number
from borderlink.places.models import Unit
from borderlink.places.scope import default_as_of
from borderlink.reports import facts
from borderlink.reports.charts import declared_and_recorded_chart
from borderlink.reports.document import Chart, Document, Paragraph, Section, Table
from borderlink.reports.facts import Facts, in_sentence
from borderlink.reports.text import capitalise, cited_source, tidy
from borderlink.stats import indicators
from borderlink.stats.display import (
    amount_words,
    converted,
    day,
    django_lang,
    figure_text,
    qualifier_words,
)
from borderlink.stats.engine import Figure, Window, by_year, evaluate_many

TEMPLATES = Path(__file__).parent / "data"
ISSUERS = TEMPLATES / "settings" / "issuers.yaml"
FACTS = (
    "ret",
    "length",
    "marker",
    "marker_place",
    "gates",
    "pairs",
    "year",
    "agreements",
    "agreement",
    "agreement_year",
    "ref",
)
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([^{}]+))?\}")
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Template:
    code: str
    data: dict[str, Any]

    def text(self, key: str, lang: str) -> str:
        value = self.data.get(key, "")
        return value.get(lang, "") if isinstance(value, dict) else str(value)


class TemplateError(ValueError):
    pass


@functools.cache
def templates() -> dict[str, Template]:
    out = {}
    for path in sorted(TEMPLATES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["code"]] = Template(data["code"], data)
    return out


def get_template(code: str) -> Template:
    try:
        return templates()[code]
    except KeyError:
        raise TemplateError(
            _("No report template %(code)s; there are: %(known)s")
            % {"code": code, "known": ", ".join(templates())}
        ) from None


unit_name = facts.unit_name


@functools.cache
def _issuers() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(ISSUERS.read_text(encoding="utf-8")) or {}
    return {str(code): dict(entry) for code, entry in data.items()}


def issuer_settings(unit: Unit) -> dict[str, Any]:
    """The settings of the report's unit or of its nearest ancestor that has some; then the
    defaults ("*")."""
    settings = _issuers()
    chosen: dict[str, Any] = dict(settings.get("*", {}))
    for candidate in [*unit.ancestors(), unit]:
        chosen.update(settings.get(candidate.code, {}))
    return chosen


def short_name(unit: Unit, lang: str) -> str:
    """The name without its type: "Hà Giang", "Ha Giang", "河江"."""
    name, _native = unit.display_name(lang)
    if (
        lang == "vi"
        and unit.native_type
        and name.lower().startswith(unit.native_type.lower() + " ")
    ):
        return name[len(unit.native_type) + 1 :]
    if lang == "en":
        return re.sub(r"\s+(province|district|commune|city|town|county)$", "", name, flags=re.I)
    if lang == "zh" and unit.native_type and name.endswith(unit.native_type):
        return name[: -len(unit.native_type)] or name
    if lang == "zh" and name[-1:] in "省县市镇乡":
        return name[:-1]
    return name


def place_date(place: str, on: datetime.date, lang: str) -> str:
    if lang == "vi":
        # Decree 30: a day below 10 and the months January and February take a leading zero.
        month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
        return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"
    if lang == "zh":
        return f"{place}，{on.year}年{on.month}月{on.day}日"
    return f"{place}, {on.day} {on.strftime('%B')} {on.year}"


class Composer:
    def __init__(
        self,
        template: Template,
        unit: Unit,
        window: Window,
        lang: str,
        clearance: int,
        signer: str = "",
    ):
        self.template, self.unit, self.window = template, unit, window
        self.lang, self.clearance, self.signer = lang, clearance, signer
        # Source code -> a short citation (the portal reads these); its number in the report
        # (1, 2, …: the order the text first cites them); the record.
        self.sources: dict[str, str] = {}
        self.numbers: dict[str, int] = {}
        self._source_records: dict[str, Source] = {}
        self._units: dict[str, Unit] = {}
        self._figures: dict[tuple[str, str], Figure] = {}
        self.facts = Facts(unit, window, lang, clearance)

    # Lookups ---------------------------------------------------------------------------------

    def unit_by_code(self, code: str) -> Unit:
        if code not in self._units:
            found = Unit.objects.filter(code=code).first()
            if found is None:
                raise TemplateError(f"{self.template.code}: no unit {code}")
            self._units[code] = found
        return self._units[code]

    def figure(self, code: str, unit_code: str = "") -> Figure:
        unit = self.unit_by_code(unit_code) if unit_code else self.unit
        key = (code, unit.code)
        if key not in self._figures:
            window = self.window
            if unit_code:
                as_of = min(window.as_of, default_as_of(unit, window.as_of))
                window = Window(window.start, min(window.end, as_of), as_of)
            self._figures[key] = evaluate_many([code], unit, window, self.clearance)[code]
        return self._figures[key]

    def cite_sources(self, sources: list[Source]) -> list[str]:
        """The codes of these sources, each noted for the list at the end."""
        for src in sources:
            if src.code not in self.sources:
                self.sources[src.code] = f"{src.title}. {src.publisher}".strip(". ")
                self._source_records[src.code] = src
        return sorted({src.code for src in sources})

    def cite(self, fig: Figure) -> list[str]:
        return self.cite_sources([r.source for r in fig.returns if r.source_id and r.source])

    def number_of(self, code: str) -> int:
        """The source's number in the report, given in the order the text first cites it."""
        return self.numbers.setdefault(code, len(self.numbers) + 1)

    def phrase(self, fig: Figure) -> str:
        """A figure as the sentence says it: an amount of money with the currency's word in
        the report's language ("hơn 42 tỷ đồng", "超过420亿越南盾"), anything else as the
        statistics display writes it."""
        ind = fig.indicator
        if fig.value is not None and ind.measure == "value" and ind.currency:
            value = Decimal(fig.value)
            text = amount_words(value) if value >= 10**6 else number(value)
            text = f"{text} {facts.currency_word(ind.currency, self.lang)}"
            words = qualifier_words(fig.qualifier)
            return f"{words} {text}" if words else text
        return figure_text(fig)

    # Sentences -------------------------------------------------------------------------------

    def fill(self, text: str) -> tuple[str, list[str], bool]:
        """(sentence, sources, has a figure): placeholders replaced in the report's language."""
        cited: list[str] = []
        figures_seen, figures_found = 0, 0

        def replace(match: re.Match[str]) -> str:
            nonlocal figures_seen, figures_found
            name, arg = match.group(1), match.group(2) or ""
            if name == "unit":
                return in_sentence(unit_name(self.unit, self.lang), self.lang)
            if name == "place":
                return short_name(self.unit, self.lang)
            if name == "name":
                return in_sentence(unit_name(self.unit_by_code(arg), self.lang), self.lang)
            if name in FACTS:
                figures_seen += 1
                fact = self.facts.get(name, arg)
                if fact is None:
                    return "—"
                figures_found += 1
                cited.extend(self.cite_sources(fact.sources))
                return fact.text
            if name in ("fig", "num", "money"):
                code, _sep, rest = arg.partition(":") if name == "money" else (arg, "", "")
                code, _at, where = code.partition("@")
                fig = self.figure(code, where)
                figures_seen += 1
                if fig.value is None:
                    return "—"
                figures_found += 1
                cited.extend(self.cite(fig))
                if name == "money":
                    assert fig.value is not None
                    return converted(fig.value, fig.indicator.currency, rest, self.window.stock_day)
                if name == "num":  # the number alone: the template says the noun
                    return figure_text(fig, with_unit=False)
                return self.phrase(fig)
            if name == "period":
                return self.period_text()
            if name == "from":
                return day(self.window.start) if self.window.start else ""
            if name == "to":
                return day(self.window.end)
            raise TemplateError(f"{self.template.code}: unknown placeholder {match.group(0)}")

        sentence = tidy(capitalise(PLACEHOLDER.sub(replace, text)), self.lang)
        numbers = sorted({self.number_of(code) for code in cited})
        return sentence, [str(n) for n in numbers], figures_seen == 0 or figures_found > 0

    def period_text(self) -> str:
        if self.window.start:
            return f"{day(self.window.start)} – {day(self.window.end)}"
        return _("up to %(day)s") % {"day": day(self.window.end)}

    # Blocks ----------------------------------------------------------------------------------

    def table(self, spec: dict[str, Any]) -> Table:
        codes = spec["indicators"]
        where = spec.get("unit", "")
        rows, values = [], []
        for code in codes:
            fig = self.figure(code, where)
            self.cite(fig)
            # The unit of measure agrees with the figure: "1 political exchange".
            unit_label = fig.indicator.unit_label(self.lang, fig.value)
            rows.append(
                [
                    fig.indicator.name(self.lang),
                    tidy(figure_text(fig, with_unit=False), self.lang),
                    unit_label,
                ]
            )
            raw: object = fig.as_json()
            values.append([fig.indicator.name(self.lang), raw, unit_label])
        caption = spec.get("caption", {}).get(self.lang, "") if spec.get("caption") else ""
        if where:
            caption = caption or unit_name(self.unit_by_code(where), self.lang)
        return Table(
            columns=[_("Indicator"), _("Figure"), _("Unit of measure")],
            rows=rows,
            values=values,
            numeric=[False, True, False],
            caption=caption,
        )

    def chart(self, spec: dict[str, Any]) -> Chart:
        """Per year, the activities recorded one by one; beside them, the totals that returns
        declare for whole periods (which cannot be split by year), each labelled with its
        period. Both from the records, never mixed into one bar."""
        codes = spec["indicators"]
        last = self.window.end.year
        first = max(self.window.start.year if self.window.start else last - 9, last - 19)
        series = by_year(codes, self.unit, first, last, self.window.as_of, self.clearance)
        recorded = {
            indicators.get(c).name(self.lang): [float(f.from_ledger) for _y, f in series[c]]
            for c in codes
        }
        totals: dict[str, float] = {}
        for code in codes:
            whole = self.figure(code)
            self.cite(whole)
            for r in whole.returns:
                start = r.period_from.year if r.period_from else None
                label = f"{start}–{r.period_to.year}" if start else f"… {r.period_to.year}"
                totals[label] = totals.get(label, 0.0) + float(r.value)
        title = spec.get("title", {}).get(self.lang, "") or _("Per year")
        return declared_and_recorded_chart(
            title,
            [str(y) for y in range(first, last + 1)],
            recorded,
            totals,
            recorded_label=_("Per year"),
            declared_label=_("Declared totals"),
            lang=self.lang,
        )

    def citation(self, src: Source) -> str:
        """A source described in the report's language: publisher, title, kind, date."""
        citation = self._citation(src)
        visits = facts.page_visits(src)
        return tidy(f"{citation}. {visits}" if visits else citation, self.lang)

    def _citation(self, src: Source) -> str:
        return cited_source(
            title=src.title,
            publisher=src.publisher,
            kind=str(Source.Kind(src.kind).label) if src.kind in Source.Kind.values else "",
            as_of=day(src.as_of) if src.as_of else "",
            reference=src.reference if src.kind == Source.Kind.DOCUMENT else "",
        )

    def compose(self, progress: Progress | None = None) -> Document:
        t, lang = self.template, self.lang
        settings = issuer_settings(self.unit)
        ctx = {
            "unit": in_sentence(unit_name(self.unit, lang), lang),
            "unit_upper": unit_name(self.unit, lang).upper(),
            "place": short_name(self.unit, lang),
            "symbol": settings.get("symbol", ""),
        }

        def setting(key: str) -> str:
            value = settings.get(key) or t.data.get(key, "")
            return str(value.get(lang, "") if isinstance(value, dict) else value)

        issued = self.window.end
        doc = Document(
            lang=lang,
            parent_issuer=t.text("parent_issuer", lang).format(**ctx),
            issuer=setting("issuer").format(**ctx),
            national_title=t.text("national_title", lang),
            motto=t.text("motto", lang),
            number=t.text("number", lang).format(**ctx),
            place_date=place_date(ctx["place"], issued, lang),
            kind=t.text("kind", lang),
            title=t.text("title", lang).format(**ctx),
            recipients_label=t.text("recipients_label", lang),
            recipients=[r.get(lang, "") for r in t.data.get("recipients", [])],
            signer_title=setting("signer_title"),
            signer_name=self.signer or setting("signer_name"),
            sources_label=_("Sources"),
            issued_on=issued,
        )
        sections = t.data["sections"]
        for index, spec in enumerate(sections):
            if progress:
                progress(int(100 * index / len(sections)), spec["heading"][lang])
            section = Section(heading=spec["heading"][lang])
            for item in spec.get("blocks", []):
                if self.clearance < int(item.get("clearance", 0)):
                    continue  # e.g. an unverified figure, kept off the public portal
                if "text" in item:
                    sentence, cited, keep = self.fill(item["text"][lang])
                    if keep:
                        section.blocks.append(Paragraph(sentence, cited))
                elif "table" in item:
                    section.blocks.append(self.table(item["table"]))
                elif "chart" in item:
                    section.blocks.append(self.chart(item["chart"]))
            doc.sections.append(section)
        for code in self.sources:  # cited by a table or a chart only: numbered after the text's
            self.number_of(code)
        doc.sources = {
            str(n): self.citation(self._source_records[code])
            for code, n in sorted(self.numbers.items(), key=lambda item: item[1])
        }
        if progress:
            progress(100, _("Done"))
        return doc


def compose(
    template_code: str,
    unit: Unit,
    window: Window,
    lang: str,
    clearance: int,
    progress: Progress | None = None,
    signer: str = "",
) -> Document:
    lang = "zh" if lang.startswith("zh") else lang[:2]
    with translation.override(django_lang(lang)):
        composer = Composer(get_template(template_code), unit, window, lang, clearance, signer)
        return composer.compose(progress)


__all__ = ["TemplateError", "compose", "number", "templates"]
