"""A period against another: by default the same days of last year, or a period the user chose.

Both periods are read with the same units (the window's `as_of`, today's by default): what old
Hà Giang recorded last year counts for today's Tuyên Quang, so the comparison is like with like.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from borderlink.stats.display import figure_text, number
from borderlink.stats.engine import Figure, Window


def same_day_last_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


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
    change: str  # "+14", "−10", "0"; "" for a ratio or a year, or when either is unknown
    percent: str  # "+4%"; "" when there is no base to compare with


def compare(figure: Figure, before: Figure | None) -> Comparison:
    change = percent = ""
    ind = figure.indicator
    comparable = not ind.is_ratio and ind.rule != "since"
    if comparable and before is not None and None not in (figure.value, before.value):
        delta = Decimal(figure.value) - Decimal(before.value)  # type: ignore[arg-type]
        change = signed(delta)
        if before.value:
            percent = signed((100 * delta / Decimal(before.value)).quantize(Decimal(1))) + "%"
    return Comparison(
        figure=figure,
        text=figure_text(figure),
        before=before,
        before_text=figure_text(before) if before is not None else "",
        change=change,
        percent=percent,
    )
