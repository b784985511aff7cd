"""Headline figures of the user's unit: this year to date beside the same days of last year.

Both periods are read with today's units (the reform roll-up): what old Hà Giang recorded last
year counts for today's Tuyên Quang, so the comparison is like with like.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from borderlink.core.numbers import number
from borderlink.places.models import Unit
from borderlink.places.scope import ScopeError
from borderlink.stats.display import figure_text
from borderlink.stats.engine import Figure, Window, evaluate_many

HEADLINE = [
    "exchanges.all",
    "station.letters",
    "station.talks",
    "station.phone_calls",
    "station.handovers",
    "delegations.sent",
    "delegations.received",
]


@dataclass(frozen=True)
class Headline:
    figure: Figure
    text: str  # this year's figure in words
    before: Figure  # the same period of last year
    before_text: str
    delta: Decimal | None  # this year's value less last year's; None when either is unknown
    change: str  # the delta in words: "+3", "−2", "0"; "" when unknown
    percent: str  # "+50%" or "" (no base to compare with)
    url: str  # the drill-down of this year's figure


def same_day_last_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _signed(value: Decimal) -> str:
    if value > 0:
        return f"+{number(value)}"
    if value < 0:
        return f"−{number(-value)}"
    return number(0)


def _url(code: str, unit: Unit, window: Window) -> str:
    assert window.start is not None
    query = {"from": window.start, "to": window.end, "as_of": window.as_of}
    return reverse("stats:figure", args=[code, unit.code]) + "?" + urlencode(query)


def headline(unit: Unit, today: datetime.date, clearance: int) -> list[Headline]:
    now = Window(today.replace(month=1, day=1), today, today)
    last_end = same_day_last_year(today)
    then = Window(last_end.replace(month=1, day=1), last_end, today)
    try:
        current = evaluate_many(HEADLINE, unit, now, clearance)
        previous = evaluate_many(HEADLINE, unit, then, clearance)
    except ScopeError:
        return []
    out = []
    for code in HEADLINE:
        fig, before = current[code], previous[code]
        delta = None
        change = percent = ""
        if fig.value is not None and before.value is not None:
            delta = Decimal(fig.value) - Decimal(before.value)
            change = _signed(delta)
            if before.value:
                percent = _signed((100 * delta / Decimal(before.value)).quantize(Decimal(1))) + "%"
        out.append(
            Headline(
                figure=fig,
                text=figure_text(fig),
                before=before,
                before_text=figure_text(before),
                delta=delta,
                change=change,
                percent=percent,
                url=_url(code, unit, now),
            )
        )
    return out
