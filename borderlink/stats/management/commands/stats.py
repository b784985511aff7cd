"""`borderlink stats --unit CODE [--from] [--to] [--as-of] [--indicator …] --format json`."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from borderlink.core.choices import Sensitivity
from borderlink.places.models import Unit
from borderlink.places.scope import ScopeError, default_as_of
from borderlink.stats import indicators
from borderlink.stats.engine import Window, evaluate_many


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (use YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Evaluate indicators for a unit and period; prints one JSON object code → value."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="BorderLink unit code")
        parser.add_argument("--from", dest="start", type=_date, help="first day (default: all)")
        parser.add_argument("--to", dest="end", type=_date, help="last day (default: as-of)")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=_date,
            help="the date of the unit tree (default: today, or the unit's last day if it ended)",
        )
        parser.add_argument("--indicator", action="append", help="indicator code (repeatable)")
        parser.add_argument(
            "--clearance",
            type=int,
            default=int(Sensitivity.SECRET),
            choices=[int(s) for s in Sensitivity],
            help="count only records up to this sensitivity (default: all)",
        )
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument(
            "--detail", action="store_true", help="print each figure with what it is made of"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(f"no unit with code {opts['unit']!r} (try: borderlink units find)")
        codes = opts["indicator"] or list(indicators.registry())
        unknown = [c for c in codes if c not in indicators.registry()]
        if unknown:
            raise CommandError(
                f"unknown indicator(s): {', '.join(unknown)}; known: "
                + ", ".join(indicators.registry())
            )
        as_of = opts["as_of"] or default_as_of(unit, timezone.localdate())
        end = opts["end"] or as_of
        if opts["start"] and opts["start"] > end:
            raise CommandError("--from is after --to")
        try:
            figures = evaluate_many(
                codes, unit, Window(opts["start"], end, as_of), opts["clearance"]
            )
        except ScopeError as exc:
            raise CommandError(str(exc)) from None
        if opts["detail"]:
            out: dict[str, Any] = {code: fig.detail() for code, fig in figures.items()}
        else:
            out = {code: fig.as_json() for code, fig in figures.items()}
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
