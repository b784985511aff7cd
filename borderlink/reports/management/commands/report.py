"""`borderlink report TEMPLATE --unit CODE --from --to --lang vi|en|zh --format F -o FILE`.

`--signer NAME` prints the signer's name under the space for the signature (otherwise the name in
reports/data/settings/issuers.yaml, or none: the office writes it in)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderlink.core.choices import Sensitivity
from borderlink.places.models import Unit
from borderlink.places.scope import ScopeError, default_as_of
from borderlink.reports.compose import TemplateError, compose, templates
from borderlink.reports.render import FORMATS
from borderlink.reports.writers import WRITERS
from borderlink.stats.engine import Window


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (use YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Render a report template for a unit and period to DOCX, PDF or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("template", help="report template code")
        parser.add_argument("--unit", required=True)
        parser.add_argument("--from", dest="start", type=_date)
        parser.add_argument("--to", dest="end", type=_date)
        parser.add_argument("--as-of", dest="as_of", type=_date)
        parser.add_argument("--lang", choices=["vi", "en", "zh"], default="vi")
        parser.add_argument("--format", choices=FORMATS, default="docx")
        parser.add_argument("--clearance", type=int, default=int(Sensitivity.INTERNAL))
        parser.add_argument(
            "--signer", default="", help="the signer's name, printed under the signature"
        )
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["template"] not in templates():
            raise CommandError(
                f"unknown template {opts['template']!r}; known: {', '.join(templates())}"
            )
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(f"no unit with code {opts['unit']!r}")
        end = opts["end"] or datetime.date.today()
        as_of = opts["as_of"] or default_as_of(unit, end)
        try:
            document = compose(
                opts["template"],
                unit,
                Window(opts["start"], end, as_of),
                opts["lang"],
                opts["clearance"],
                progress=lambda p, step: self.stderr.write(f"{p:3d}% {step}"),
                signer=opts["signer"],
            )
            content = WRITERS[opts["format"]](document)
        except (ScopeError, TemplateError) as exc:
            raise CommandError(str(exc)) from None
        # Written beside the target, then renamed over it: a process killed mid-write leaves
        # the old file or none, never half a document.
        target = Path(opts["output"])
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(content)
        partial.replace(target)
        self.stdout.write(f"{opts['output']}: {len(content):,} bytes")
