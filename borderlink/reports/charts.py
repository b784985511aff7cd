"""One chart library for pages and documents: matplotlib draws the same figure as SVG for a page
and PNG for a document. Figures are built without pyplot, so rendering is thread-safe, and the
SVG is deterministic (fixed hash salt, no date) and self-contained (text as paths)."""

from __future__ import annotations

import io

from matplotlib import font_manager, rcParams
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from borderlink.reports import fonts
from borderlink.reports.document import Chart

_registered = False


def _fonts() -> list[str]:
    global _registered
    if not _registered:
        font_manager.fontManager.addfont(str(fonts.cjk()))
        _registered = True
    cjk_name = font_manager.FontProperties(fname=str(fonts.cjk())).get_name()
    return ["DejaVu Sans", cjk_name]


def _grouped(value: float, lang: str) -> str:
    text = f"{value:,.0f}"
    return text.replace(",", ".") if lang == "vi" else text


def bar_chart(
    title: str, labels: list[str], series: dict[str, list[float]], lang: str, y_label: str = ""
) -> Chart:
    rcParams["svg.hashsalt"] = "borderlink"
    rcParams["svg.fonttype"] = "path"
    fig = Figure(figsize=(8, 3.6), layout="constrained")
    ax = fig.add_subplot()
    family = _fonts()
    width = 0.8 / max(1, len(series))
    positions = range(len(labels))
    for index, (name, values) in enumerate(series.items()):
        ax.bar([p + index * width for p in positions], values, width, label=name)
    ax.set_xticks([p + width * (len(series) - 1) / 2 for p in positions], labels, fontfamily=family)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _grouped(v, lang)))
    ax.set_title(title, fontfamily=family)
    if y_label:
        ax.set_ylabel(y_label, fontfamily=family)
    if len(series) > 1:
        ax.legend(prop={"family": family}, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    png, svg = io.BytesIO(), io.StringIO()
    fig.savefig(png, format="png", dpi=150)
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    text = svg.getvalue()
    text = text[text.index("<svg") :]
    alt = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{label} {_grouped(v, lang)}" for label, v in zip(labels, values, strict=False)
        )
        for name, values in series.items()
    )
    return Chart(title=title, png=png.getvalue(), svg=text, alt=f"{title}. {alt}")
