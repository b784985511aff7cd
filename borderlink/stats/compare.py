"""A period against another: by default the same days of last year, or a period the user chose.

Both periods are read with the same units (the window's `as_of`, today's by default): what old
Hà Giang recorded last year counts for today's Tuyên Quang, so the comparison is like with like.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from borderlink.core.dates import same_day_last_year
from borderlink.core.numbers import number
from borderlink.ledger.models import AggregateReturn
from borderlink.stats.display import figure_text, period_text, return_text
from borderlink.stats.engine import WHY_AFTER, WHY_BEFORE, Figure, Window


def last_year(window: Window) -> Window | None:
    """The same days one year earlier; none for a period with no start (since the first
    record), which has nothing before it to compare with."""
    if window.start is None:
        return None
    return Window(same_day_last_year(window.start), same_day_last_year(window.end), window.as_of)


def chosen(
    window: Window, start: datetime.date | None, end: datetime.date | None
) -> tuple[Window | None, bool]:
    """The comparison period: the one typed when both ends are readable and in order, else the
    same days of last year. The flag says whether it is last year's."""
    if start is not None and end is not None and start <= end:
        period = Window(start, end, window.as_of)
        return period, period == last_year(window)
    return last_year(window), True


def signed(value: Decimal) -> str:
    """A change in the page's number format, always signed: "+14", "−10", "0"."""
    if value > 0:
        return f"+{number(value)}"
    if value < 0:
        return f"−{number(-value)}"
    return number(0)


@dataclass(frozen=True)
class Comparison:
    figure: Figure
    text: str  # the figure in words
    before: Figure | None  # the same indicator over the comparison period
    before_text: str
    delta: Decimal | None  # this figure less the one before; None where `change` is ""
    change: str  # "+14", "−10", "0"; "" for a ratio or a year, or when either is unknown
    percent: str  # "+4%"; "" when there is no base to compare with
    # Declared totals over periods that reach into this one but do not fit in it: they cannot
    # be split, so the figure leaves them out and the card says so, (return, "1,456 letters",
    # "01/01/2012 – 30/06/2021").
    unsplit: list[tuple[AggregateReturn, str, str]]


def unsplit(figure: Figure, window: Window) -> list[tuple[AggregateReturn, str, str]]:
    """The returns the figure set aside because their period reaches outside the window while
    sharing days with it: a multi-year total is never cut into a year's share."""
    out = []
    for r, why in figure.set_aside:
        if why not in (WHY_BEFORE, WHY_AFTER):
            continue
        starts = r.period_from or datetime.date.min
        if starts <= window.end and (window.start is None or r.period_to >= window.start):
            out.append((r, return_text(r, figure.indicator), period_text(r)))
    return out


def compare(figure: Figure, before: Figure | None, window: Window | None = None) -> Comparison:
    change = percent = ""
    delta = None
    ind = figure.indicator
    comparable = not ind.is_ratio and ind.rule != "since"
    if comparable and before is not None and figure.value is not None and before.value is not None:
        delta = Decimal(figure.value) - Decimal(before.value)
        change = signed(delta)
        if before.value:
            percent = signed((100 * delta / Decimal(before.value)).quantize(Decimal(1))) + "%"
    return Comparison(
        figure=figure,
        text=figure_text(figure),
        before=before,
        before_text=figure_text(before) if before is not None else "",
        delta=delta,
        change=change,
        percent=percent,
        unsplit=unsplit(figure, window) if window is not None else [],
    )
