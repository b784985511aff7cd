"""One chart module for pages and documents: matplotlib draws each figure once, as SVG for a page
and as PNG for a DOCX or PDF, so a dashboard and a report never disagree.

* No pyplot: figures are plain `matplotlib.figure.Figure` objects with the Agg canvas, so charts
  can be drawn from several request or job threads at once.
* Self-contained SVG: text is drawn as paths (no web font, no system font in the browser), there
  is no XML prolog, date or link, and the root scales to its container's width.
* Deterministic SVG: ids come from a fixed hash salt and the content, then get a prefix unique to
  the chart, so the same data gives the same bytes (cacheable, testable) and two charts inlined in
  one page never share an id.
* Every script: DejaVu Sans (shipped with matplotlib, covers Vietnamese) comes first and a CJK font
  (see `reports.fonts`) after it, so matplotlib falls back per glyph for Chinese names.
* Numbers use the report language's separators (vi 1.456,5; en and zh 1,456.5).
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import threading
from collections.abc import Sequence

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from borderlink.reports import fonts
from borderlink.reports.document import Chart

# Read by the SVG backend at save time. Both values are constant for the whole process, so setting
# them once here is safe with threads (an rc_context would restore values under another thread).
matplotlib.rcParams["svg.hashsalt"] = "borderlink"
matplotlib.rcParams["svg.fonttype"] = "path"

PNG_DPI = 150
SIZE = (8.0, 3.6)  # inches: 1200 x 540 px at 150 dpi, 16 cm wide in a document
MAX_DECIMALS = 2
SEPARATORS = {"vi": (".", ","), "en": (",", "."), "zh": (",", ".")}  # (thousands, decimal)

_fonts_lock = threading.Lock()
_family: list[str] = []


def font_family() -> list[str]:
    """Matplotlib's family list for chart text: DejaVu Sans, then the CJK font (registered once)."""
    with _fonts_lock:
        if not _family:
            path = str(fonts.cjk())
            font_manager.fontManager.addfont(path)
            cjk_name = font_manager.FontProperties(fname=path).get_name()
            _family.extend(["DejaVu Sans", cjk_name])
        return list(_family)


def format_number(value: float, lang: str, decimals: int | None = None) -> str:
    """`value` with the language's separators: vi 1.456,5; en and zh 1,456.5."""
    if decimals is None:  # as many as needed, up to MAX_DECIMALS
        text = f"{value:,.{MAX_DECIMALS}f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # no "-0"
    thousands, point = SEPARATORS.get(lang, SEPARATORS["en"])
    return text.replace(",", "\0").replace(".", point).replace("\0", thousands)


def _plain(text: str) -> str:
    """Text shown as written: a pair of `$` would otherwise start matplotlib's math mode."""
    return text.replace("$", r"\$")


def _alt(title: str, labels: Sequence[str], series: dict[str, list[float]], lang: str) -> str:
    def values(numbers: Sequence[float]) -> str:
        return ", ".join(
            f"{label} {format_number(v, lang)}" for label, v in zip(labels, numbers, strict=False)
        )

    if len(series) == 1:
        return f"{title}: {values(next(iter(series.values())))}"
    return f"{title}: " + "; ".join(f"{name}: {values(v)}" for name, v in series.items())


def _inline_svg(svg: str) -> str:
    """Matplotlib's SVG made ready to inline in HTML: no prolog, no RDF metadata (its namespace
    links), full width, ids unique to this chart."""
    svg = svg[svg.index("<svg") :].strip()
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    svg = re.sub(
        r'(<svg\b[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', r'\1 width="100%"', svg, count=1
    )
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "-"
    for name in sorted(set(re.findall(r'\bid="([^"]+)"', svg)), key=len, reverse=True):
        svg = (
            svg.replace(f'id="{name}"', f'id="{prefix}{name}"')
            .replace(f'href="#{name}"', f'href="#{prefix}{name}"')
            .replace(f"url(#{name})", f"url(#{prefix}{name})")
        )
    return svg


def bar_chart(
    title: str,
    labels: list[str],
    series: dict[str, list[float]],
    lang: str,
    y_label: str = "",
    stacked: bool = False,
    png: bool = True,
) -> Chart:
    """Bars per label (e.g. per year), one colour per series: side by side, or stacked if asked.

    Every string given is already in the report's language; `lang` only picks the separators.
    A page asks for the SVG only (`png=False`). Drawing takes a tenth of a second or more, and a
    dashboard shows the same chart again and again, so charts are kept by what they show.
    """
    frozen = tuple((name, tuple(float(v) for v in values)) for name, values in series.items())
    chart = _drawn(title, tuple(labels), frozen, lang, y_label, stacked, png)
    return Chart(title=chart.title, png=chart.png, svg=chart.svg, alt=chart.alt)


@functools.lru_cache(maxsize=256)
def _drawn(
    title: str,
    labels: tuple[str, ...],
    frozen: tuple[tuple[str, tuple[float, ...]], ...],
    lang: str,
    y_label: str,
    stacked: bool,
    with_png: bool,
) -> Chart:
    series = {name: list(values) for name, values in frozen}
    family = font_family()
    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.add_subplot()
    positions = list(range(len(labels)))
    count = max(1, len(series))
    width = 0.8 if stacked else 0.8 / count
    bottoms = [0.0] * len(labels)
    for index, (name, raw) in enumerate(series.items()):
        values = [float(v) for v in raw[: len(labels)]]
        values += [0.0] * (len(labels) - len(values))
        if stacked:
            ax.bar(positions, values, width, bottom=bottoms, label=_plain(name))
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        else:
            offset = (index - (count - 1) / 2) * width
            ax.bar([p + offset for p in positions], values, width, label=_plain(name))
    crowded = sum(len(label) + 1 for label in labels) > 100
    ax.set_xticks(
        positions,
        [_plain(label) for label in labels],
        rotation=35 if crowded else 0,
        ha="right" if crowded else "center",
        rotation_mode="anchor",
    )
    ax.tick_params(labelfontfamily=family, labelsize=9)
    every = [float(v) for values in series.values() for v in values]
    ax.yaxis.set_major_locator(MaxNLocator(integer=all(float(v).is_integer() for v in every)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, lang)))
    ax.set_title(_plain(title), fontfamily=family, fontsize=12, loc="left")
    if y_label:
        ax.set_ylabel(_plain(y_label), fontfamily=family, fontsize=10)
    if not any(every):
        ax.set_ylim(0, 1)
    ax.grid(axis="y", linewidth=0.5, alpha=0.5)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        fig.legend(
            loc="outside lower center",
            ncols=min(len(series), 4),
            frameon=False,
            prop=font_manager.FontProperties(family=family, size=9),
        )
    png, svg = io.BytesIO(), io.StringIO()
    if with_png:
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    fig.savefig(
        svg,
        format="svg",
        metadata={"Title": title, "Date": None, "Creator": None, "Format": None, "Type": None},
    )
    return Chart(
        title=title,
        png=png.getvalue(),
        svg=_inline_svg(svg.getvalue()),
        alt=_alt(title, labels, series, lang),
    )


def declared_and_recorded_chart(
    title: str,
    years: list[str],
    recorded: dict[str, list[float]],
    declared: dict[str, float],
    recorded_label: str,
    declared_label: str,
    lang: str,
) -> Chart:
    """Two panels that never share a bar: on the left what was recorded one by one, per year;
    on the right the totals that returns declare for whole periods (labelled by period), which
    no year can hold. Each declared bar carries its figure, so the reader sees "2.445" beside
    the years' few records and does not take the small bars for the whole."""
    family = font_family()
    fig = Figure(figsize=SIZE, layout="constrained")
    widths = [3, 1] if declared else [1]
    axes = fig.subplots(1, len(widths), width_ratios=widths, squeeze=False)[0]
    left = axes[0]
    positions = list(range(len(years)))
    count = max(1, len(recorded))
    width = 0.8 / count
    for index, (name, values) in enumerate(recorded.items()):
        offset = (index - (count - 1) / 2) * width
        left.bar([p + offset for p in positions], values[: len(years)], width, label=_plain(name))
    crowded = sum(len(label) + 1 for label in years) > 60
    left.set_xticks(
        positions,
        [_plain(y) for y in years],
        rotation=35 if crowded else 0,
        ha="right" if crowded else "center",
        rotation_mode="anchor",
    )
    left.set_title(_plain(recorded_label), fontfamily=family, fontsize=10, loc="left")
    every = [v for values in recorded.values() for v in values]
    if not any(every):
        left.set_ylim(0, 1)
    panels = [left]
    if declared:
        right = axes[1]
        labels = list(declared)
        bars = right.bar(range(len(labels)), list(declared.values()), 0.6, color="#8c6d31")
        right.bar_label(bars, labels=[format_number(v, lang) for v in declared.values()])
        right.set_xticks(range(len(labels)), [_plain(label) for label in labels])
        right.set_title(_plain(declared_label), fontfamily=family, fontsize=10, loc="left")
        right.margins(y=0.15)
        panels.append(right)
    for ax in panels:
        ax.tick_params(labelfontfamily=family, labelsize=9)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, lang)))
        ax.grid(axis="y", linewidth=0.5, alpha=0.5)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(_plain(title), fontfamily=family, fontsize=12, x=0.01, ha="left")
    if len(recorded) > 1:
        fig.legend(
            loc="outside lower center",
            ncols=min(len(recorded), 4),
            frameon=False,
            prop=font_manager.FontProperties(family=family, size=9),
        )
    png, svg = io.BytesIO(), io.StringIO()
    fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    fig.savefig(
        svg,
        format="svg",
        metadata={"Title": title, "Date": None, "Creator": None, "Format": None, "Type": None},
    )
    first = next(iter(recorded.values()), [])
    alt = _alt(f"{title} — {recorded_label}", years, {"": first} if first else {}, lang)
    if declared:
        alt += (
            "; "
            + declared_label
            + ": "
            + ", ".join(f"{label} {format_number(v, lang)}" for label, v in declared.items())
        )
    return Chart(title=title, png=png.getvalue(), svg=_inline_svg(svg.getvalue()), alt=alt)
