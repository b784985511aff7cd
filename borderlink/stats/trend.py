"""Trend charts for the dashboard: what the ledger holds by year and by month, and the declared
totals of aggregate returns shown as what they are.

A return is a total over its own period ("1,456 letters from 2012 to 30/06/2021"). It is never
spread over the years it spans, nor shown as a zero in each of them: it is drawn as a band over
its period, above the bars of what the ledger holds, with its value written on it, and listed
with a link to the return. The bars are the ledger alone (the engine's `from_ledger`), so a year
with no entries under a return's band reads "nothing recorded one by one", not "nothing done".

The charts are SVG drawn by the page's template (stats/_trend.html) from the geometry computed
here, in the page's font and language; a table under each chart carries the same numbers, each
opening the figure page of that year or month (the drill-down to the records).
"""

from __future__ import annotations

import calendar
import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from borderlink.core.numbers import number
from borderlink.ledger.models import AggregateReturn
from borderlink.places.models import Unit
from borderlink.stats import indicators
from borderlink.stats import scope as stats_scope
from borderlink.stats.display import day, period_text, return_text
from borderlink.stats.engine import (
    WHY_AFTER,
    Figure,
    Window,
    evaluate_many,
    ledger_sums,
    ledger_totals,
    measure_of,
    monthly_measure,
    nested,
    overlap,
    widest_first,
    yearly_ledger_sums,
)
from borderlink.stats.scope import resolve

# Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart without colour too: the
# legend and the table name every series.
PALETTE = ("#1f5fa8", "#b35806", "#1b7837", "#762a83")
LIGHT = "#8fb3dc"  # last year's bars beside this year's (contrast is carried by the table)
MAX_YEARS = 15
MIN_YEARS = 5
WIDTH = 800
PLOT_LEFT, PLOT_RIGHT = 56.0, WIDTH - 8.0
BAR_HEIGHT = 200.0
BAND_ROW = 22.0
AXIS_ROOM = 26.0


def _r(value: float) -> float:
    """A coordinate to a tenth of a unit: the SVG stays short and the same for the same data."""
    return round(value, 1)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class Band:
    """A declared total over its period, drawn across the columns it covers."""

    x: float
    y: float
    width: float
    colour: str
    text: str
    text_x: float
    anchor: str  # "start", or "end" for words written before the band


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class Cell:
    text: str
    url: str
    in_declared: bool = False  # the span lies inside a declared total of this series


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Declared:
    """One aggregate return behind a band: what it says and where it opens."""

    series: str
    colour: str
    text: str
    period: str
    return_url: str
    figure_url: str


@dataclass
class Chart:
    key: str  # the element ids' stem
    title: str
    caption: str
    headers: list[str]  # the table's series columns
    rows: list[Row] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, name)
    bars: list[Bar] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    declared: list[Declared] = field(default_factory=list)
    empty: bool = False  # no bar at all: the page says so rather than draw a bare axis
    top: float = 0.0  # the y of the bars' top (below the bands)
    height: float = 0.0
    baseline: float = 0.0

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def plot_left(self) -> float:
        return PLOT_LEFT

    @property
    def plot_right(self) -> float:
        return PLOT_RIGHT


def _nice_step(top: float) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving four or five ticks up to `top`."""
    raw = max(top, 4.0) / 4  # at least 1: the ledger counts whole entries
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _figure_url(
    code: str, unit: Unit, start: datetime.date, end: datetime.date, as_of: datetime.date
) -> str:
    query = urlencode(
        {"from": start.isoformat(), "to": end.isoformat(), "as_of": as_of.isoformat()}
    )
    return f"{reverse('stats:figure', args=[code, unit.code])}?{query}"


def _draw(
    chart: Chart,
    columns: int,
    series: list[tuple[str, list[Decimal | None]]],
    band_rows: int,
) -> None:
    """Bars (one group per column, one bar per series), the value axis and the column labels'
    x; `series` is (colour, one value per column, None where there is nothing to draw)."""
    chart.top = 8.0 + band_rows * BAND_ROW
    chart.baseline = chart.top + BAR_HEIGHT
    chart.height = chart.baseline + AXIS_ROOM
    values = [float(v) for _c, vs in series for v in vs if v is not None]
    chart.empty = not any(values)
    step = _nice_step(max(values, default=0.0))
    top = step * max(1, math.ceil(max(values, default=0.0) / step))
    scale = BAR_HEIGHT / top
    chart.ticks = [
        Tick(_r(chart.baseline - i * step * scale), number(Decimal(str(i * step))))
        for i in range(round(top / step) + 1)
    ]
    column = (PLOT_RIGHT - PLOT_LEFT) / columns
    width = column * 0.8 / max(1, len(series))
    for index, (colour, values_) in enumerate(series):
        for col, value in enumerate(values_):
            if value is None or value <= 0:
                continue
            height = float(value) * scale
            x = PLOT_LEFT + col * column + column * 0.1 + index * width
            chart.bars.append(
                Bar(_r(x), _r(chart.baseline - height), _r(width), _r(height), colour)
            )


def _position(day_: datetime.date, first_year: int, columns: int, end_of_day: bool) -> float:
    """Where a date falls on a by-year axis: its year's column plus the part of the year gone."""
    days = 366 if calendar.isleap(day_.year) else 365
    into = day_.timetuple().tm_yday - (0 if end_of_day else 1)
    at = (day_.year - first_year) + into / days
    column = (PLOT_RIGHT - PLOT_LEFT) / columns
    return PLOT_LEFT + max(0.0, min(float(columns), at)) * column


def _bands(fig: Figure, end: datetime.date) -> list[AggregateReturn]:
    """The returns drawn as bands: those the engine counts up to the chart's end, and those it
    set aside only because they run past the end while starting before it (drawn to the chart's
    edge, their whole period written on them), unless one held by another already drawn."""
    drawn = list(fig.returns)
    running_on = [
        r
        for r, why in fig.set_aside
        if why == WHY_AFTER and (r.period_from is None or r.period_from <= end)
    ]
    for r in sorted(running_on, key=widest_first):
        if not any(nested(o, r) or overlap(o, r) for o in drawn):
            drawn.append(r)
    return sorted(drawn, key=lambda r: (r.period_from or datetime.date.min, r.pk))


def by_year(codes: list[str], unit: Unit, window: Window, clearance: int) -> Chart:
    """The ledger by calendar year up to the period's end (the last year cut at that day), with
    the returns the engine counts up to that day as bands over their own periods."""
    last = window.end.year
    scope = resolve(unit, window.as_of)
    wanted = [indicators.get(c) for c in codes]
    kinds = [k for ind in wanted for k in ind.kinds]
    per_year = yearly_ledger_sums(scope, last - MAX_YEARS + 1, last - 1, kinds, clearance)
    per_year[last] = ledger_sums(
        scope, Window(datetime.date(last, 1, 1), window.end, window.as_of), kinds, clearance
    )
    # The returns the engine itself counts over everything up to the end: nested and
    # overlapping ones are already set aside there, so no band repeats another's letters.
    counted = evaluate_many(codes, unit, Window(None, window.end, window.as_of), clearance)
    returns = [(code, r) for code in codes for r in _bands(counted[code], window.end)]
    recorded = {
        code: {year: measure_of(ind, sums)[0] for year, sums in per_year.items()}
        for code, ind in zip(codes, wanted, strict=True)
    }
    with_data = [y for values in recorded.values() for y, v in values.items() if v]
    with_data += [
        max(r.period_from.year if r.period_from else 0, last - MAX_YEARS + 1) for _c, r in returns
    ]
    first = max(last - MAX_YEARS + 1, min([*with_data, last - MIN_YEARS + 1]))
    years = list(range(first, last + 1))
    chart = Chart(
        key="trend-year",
        title=_("By year"),
        caption=_(
            "Bars: entries recorded in the ledger one by one (%(last)s: to %(end)s). Bands: "
            "totals declared in aggregate returns over their own periods, not split by year."
        )
        % {"last": last, "end": day(window.end)},
        headers=[ind.name() for ind in wanted],
    )
    colours = dict(zip(codes, PALETTE, strict=False))
    chart.legend = [(colours[ind.code], ind.name()) for ind in wanted]
    _draw(
        chart,
        len(years),
        [(colours[c], [recorded[c].get(y) for y in years]) for c in codes],
        len(returns),
    )
    column = (PLOT_RIGHT - PLOT_LEFT) / len(years)
    chart.labels = [Label(_r(PLOT_LEFT + (i + 0.5) * column), str(y)) for i, y in enumerate(years)]
    for row, (code, r) in enumerate(returns):
        start = r.period_from or datetime.date(first, 1, 1)
        x0 = _position(max(start, datetime.date(first, 1, 1)), first, len(years), False)
        x1 = _position(r.period_to, first, len(years), True)
        ind = indicators.get(code)
        text = f"{ind.name()}: {return_text(r, ind)} ({period_text(r)})"
        # A band too narrow for its words writes them beside it, on the side with more room.
        plot = PLOT_RIGHT - PLOT_LEFT
        if x1 - x0 > 0.45 * plot:
            text_x, anchor = x0 + 4, "start"
        elif x1 < PLOT_LEFT + 0.5 * plot:
            text_x, anchor = x1 + 4, "start"
        else:
            text_x, anchor = x0 - 4, "end"
        width = _r(max(x1 - x0, 2.0))
        band = Band(_r(x0), 8.0 + row * BAND_ROW, width, colours[code], text, _r(text_x), anchor)
        chart.bands.append(band)
        chart.declared.append(
            Declared(
                series=indicators.get(code).name(),
                colour=colours[code],
                text=return_text(r, indicators.get(code)),
                period=period_text(r),
                return_url=reverse("registers:detail", args=["returns", r.pk]),
                figure_url=_figure_url(
                    code,
                    unit,
                    r.period_from or datetime.date(first, 1, 1),
                    r.period_to,
                    window.as_of,
                )
                if r.period_from
                else "",
            )
        )

    def covered(code: str, year: int) -> bool:
        return any(
            c == code
            and (r.period_from is None or r.period_from.year <= year)
            and r.period_to.year >= year
            for c, r in returns
        )

    for year in years:
        end = window.end if year == last else datetime.date(year, 12, 31)
        chart.rows.append(
            Row(
                str(year),
                [
                    Cell(
                        number(recorded[c].get(year) or 0),
                        _figure_url(c, unit, datetime.date(year, 1, 1), end, window.as_of),
                        covered(c, year),
                    )
                    for c in codes
                ],
            )
        )
    return chart


def by_month(code: str, unit: Unit, window: Window, clearance: int) -> Chart:
    """One indicator's ledger by calendar month: the period's year to its end beside the whole
    months of the year before."""
    ind = indicators.get(code)
    year = window.end.year
    totals = monthly_measure(
        unit,
        datetime.date(year - 1, 1, 1),
        window.end.replace(day=1) - datetime.timedelta(days=1),
        window.as_of,
        ind,
        clearance,
    )
    # The end's month is cut at the end day, like the figure.
    month_start = window.end.replace(day=1)
    found = stats_scope.anchors(unit, window.as_of)
    cut, _any_returns = ledger_totals(
        found, Window(month_start, window.end, window.as_of), [ind], clearance
    )
    totals[month_start] = cut[ind.code][0]
    months = [datetime.date(year, m, 1) for m in range(1, 13)]

    def value(month: datetime.date) -> Decimal | None:
        if month > window.end:
            return None
        return totals.get(month, Decimal(0))

    this = [value(m) for m in months]
    before = [value(m.replace(year=year - 1)) for m in months]
    chart = Chart(
        key="trend-month",
        title=_("By month: %(name)s") % {"name": ind.name()},
        caption=_(
            "Entries recorded in the ledger: %(year)s to %(end)s, and %(before)s whole months."
        )
        % {"year": year, "end": day(window.end), "before": year - 1},
        headers=[str(year - 1), str(year)],
    )
    chart.legend = [(LIGHT, str(year - 1)), (PALETTE[0], str(year))]
    _draw(chart, 12, [(LIGHT, before), (PALETTE[0], this)], 0)
    column = (PLOT_RIGHT - PLOT_LEFT) / 12
    names = [date_format(m, "M") for m in months]
    chart.labels = [Label(_r(PLOT_LEFT + (i + 0.5) * column), n) for i, n in enumerate(names)]
    for i, month in enumerate(months):
        last_year_month = month.replace(year=year - 1)
        cells = [
            Cell(
                number(before[i] or 0),
                _figure_url(
                    code, unit, last_year_month, _month_last(last_year_month), window.as_of
                ),
            ),
            Cell(
                "—" if this[i] is None else number(this[i] or 0),
                ""
                if this[i] is None
                else _figure_url(
                    code, unit, month, min(_month_last(month), window.end), window.as_of
                ),
            ),
        ]
        chart.rows.append(Row(names[i], cells))
    return chart


def _month_last(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])
