"""Headline figures of the user's unit: this year to date beside the same days of last year.

Both periods are read with today's units (the reform roll-up): what old Hà Giang recorded last
year counts for today's Tuyên Quang, so the comparison is like with like. The comparison itself
is the dashboard's (stats/compare.py).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from borderlink.places.models import Unit
from borderlink.places.scope import ScopeError
from borderlink.stats.compare import Comparison, compare, last_year
from borderlink.stats.engine import Window, evaluate_many

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
class Headline(Comparison):
    url: str = ""  # the drill-down of this year's figure


def _url(code: str, unit: Unit, window: Window) -> str:
    assert window.start is not None
    query = {"from": window.start, "to": window.end, "as_of": window.as_of}
    return reverse("stats:figure", args=[code, unit.code]) + "?" + urlencode(query)


def headline(unit: Unit, today: datetime.date, clearance: int) -> list[Headline]:
    now = Window(today.replace(month=1, day=1), today, today)
    then = last_year(now)
    assert then is not None  # `now` has a start
    try:
        current = evaluate_many(HEADLINE, unit, now, clearance)
        previous = evaluate_many(HEADLINE, unit, then, clearance)
    except ScopeError:
        return []
    out = []
    for code in HEADLINE:
        compared = compare(current[code], previous[code])
        shown = {f.name: getattr(compared, f.name) for f in dataclasses.fields(compared)}
        out.append(Headline(**shown, url=_url(code, unit, now)))
    return out
