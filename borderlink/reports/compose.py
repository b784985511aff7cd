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

A sentence whose figures are all missing is left out rather than printed with blanks. Every
figure's returns bring their sources, which the document lists at the end.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils import translation
from django.utils.translation import gettext as _

from borderlink.core.models import Source
from borderlink.places.models import Unit
from borderlink.places.scope import default_as_of
from borderlink.reports.charts import bar_chart
from borderlink.reports.document import Chart, Document, Paragraph, Section, Table
from borderlink.stats import indicators
from borderlink.stats.display import converted, day, django_lang, figure_text, number
from borderlink.stats.engine import Figure, Window, by_year, evaluate_many

TEMPLATES = Path(__file__).parent / "data"
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


def unit_name(unit: Unit, lang: str) -> str:
    name, _native = unit.display_name(lang)
    if lang != "zh" and unit.country == "CN" and unit.name_zh and unit.name_zh not in name:
        return f"{name} ({unit.name_zh})"
    return name


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
    def __init__(self, template: Template, unit: Unit, window: Window, lang: str, clearance: int):
        self.template, self.unit, self.window = template, unit, window
        self.lang, self.clearance = lang, clearance
        self.sources: dict[str, str] = {}
        self._units: dict[str, Unit] = {}
        self._figures: dict[tuple[str, str], Figure] = {}

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

    def cite(self, fig: Figure) -> list[str]:
        keys = []
        for r in fig.returns:
            if r.source_id and r.source:
                src: Source = r.source
                self.sources.setdefault(src.code, f"{src.title}. {src.publisher}".strip(". "))
                keys.append(src.code)
        return sorted(set(keys))

    # Sentences -------------------------------------------------------------------------------

    def fill(self, text: str) -> tuple[str, list[str], bool]:
        """(sentence, sources, has a figure): placeholders replaced in the report's language."""
        cited: list[str] = []
        figures_seen, figures_found = 0, 0

        def replace(match: re.Match[str]) -> str:
            nonlocal figures_seen, figures_found
            name, arg = match.group(1), match.group(2) or ""
            if name == "unit":
                return unit_name(self.unit, self.lang)
            if name == "place":
                return short_name(self.unit, self.lang)
            if name == "name":
                return unit_name(self.unit_by_code(arg), self.lang)
            if name in ("fig", "money"):
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
                return figure_text(fig)
            if name == "period":
                return self.period_text()
            if name == "from":
                return day(self.window.start) if self.window.start else ""
            if name == "to":
                return day(self.window.end)
            raise TemplateError(f"{self.template.code}: unknown placeholder {match.group(0)}")

        sentence = PLACEHOLDER.sub(replace, text)
        return sentence, sorted(set(cited)), figures_seen == 0 or figures_found > 0

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
            rows.append(
                [
                    fig.indicator.name(self.lang),
                    figure_text(fig, with_unit=False),
                    fig.indicator.unit_label(self.lang),
                ]
            )
            raw: object = fig.as_json()
            values.append([fig.indicator.name(self.lang), raw, fig.indicator.unit_label(self.lang)])
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
        codes = spec["indicators"]
        last = self.window.end.year
        first = max(self.window.start.year if self.window.start else last - 9, last - 19)
        series = by_year(codes, self.unit, first, last, self.window.as_of, self.clearance)
        title = spec.get("title", {}).get(self.lang, "") or _("Per year")
        return bar_chart(
            title,
            [str(y) for y in range(first, last + 1)],
            {
                indicators.get(c).name(self.lang): [float(f.value or 0) for _y, f in series[c]]
                for c in codes
            },
            lang=self.lang,
        )

    def compose(self, progress: Progress | None = None) -> Document:
        t, lang = self.template, self.lang
        ctx = {
            "unit": unit_name(self.unit, lang),
            "unit_upper": unit_name(self.unit, lang).upper(),
            "place": short_name(self.unit, lang),
        }
        issued = self.window.end
        doc = Document(
            lang=lang,
            parent_issuer=t.text("parent_issuer", lang).format(**ctx),
            issuer=t.text("issuer", lang).format(**ctx),
            national_title=t.text("national_title", lang),
            motto=t.text("motto", lang),
            number=t.text("number", lang),
            place_date=place_date(ctx["place"], issued, lang),
            kind=t.text("kind", lang),
            title=t.text("title", lang).format(**ctx),
            recipients_label=t.text("recipients_label", lang),
            recipients=[r.get(lang, "") for r in t.data.get("recipients", [])],
            signer_title=t.text("signer_title", lang),
            signer_name="",
            sources_label=_("Sources"),
            issued_on=issued,
        )
        sections = t.data["sections"]
        for index, spec in enumerate(sections):
            if progress:
                progress(int(100 * index / len(sections)), spec["heading"][lang])
            section = Section(heading=spec["heading"][lang])
            for item in spec.get("blocks", []):
                if "text" in item:
                    sentence, cited, keep = self.fill(item["text"][lang])
                    if keep:
                        section.blocks.append(Paragraph(sentence, cited))
                elif "table" in item:
                    section.blocks.append(self.table(item["table"]))
                elif "chart" in item:
                    section.blocks.append(self.chart(item["chart"]))
            doc.sections.append(section)
        doc.sources = dict(sorted(self.sources.items()))
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
) -> Document:
    lang = "zh" if lang.startswith("zh") else lang[:2]
    with translation.override(django_lang(lang)):
        return Composer(get_template(template_code), unit, window, lang, clearance).compose(
            progress
        )


__all__ = ["TemplateError", "compose", "number", "templates"]
