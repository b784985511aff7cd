from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderlink.places.api import unit_summary
from borderlink.places.choices import UnitKind
from borderlink.places.search import search_units


class Command(BaseCommand):
    help = "Work with the gazetteer. `units find TEXT` finds units by any of their names."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        find = sub.add_parser("find", help="find units by name in any language, code or pinyin")
        find.add_argument("text")
        find.add_argument("--kind", choices=[k.value for k in UnitKind])
        find.add_argument("--on", help="only units valid on this date (YYYY-MM-DD)")
        find.add_argument("--country", choices=["VN", "CN", "LA", "KH"])
        find.add_argument("--limit", type=int, default=20)
        find.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options.get("on"):
            try:
                on = datetime.date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError(f"--on {options['on']!r}: use YYYY-MM-DD") from None
        units = search_units(
            options["text"],
            kind=options.get("kind"),
            on=on,
            country=options.get("country"),
            limit=options["limit"],
        )
        if options["format"] == "json":
            payload = [unit_summary(u) for u in units]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for u in units:
            chain = " › ".join(a.native_name for a in u.ancestors())
            until = u.valid_to.isoformat() if u.valid_to else "…"
            since = u.valid_from.isoformat() if u.valid_from else "…"
            self.stdout.write(
                f"{u.code:28} {u.kind:16} {u.native_name}  [{since} – {until}]  {chain}"
            )
