from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from borderlink.core.context import acting_as
from borderlink.core.sources import load_sources
from borderlink.demo import border, cooperation, economy, gazetteer, people, portal, reform, sample
from borderlink.demo.users import DEMO_PASSWORD, ensure_demo_users
from borderlink.places.gazetteer import load_all

DATA = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Load the Hà Giang demo: the gazetteer from the packages, then the seeds' records."

    def add_arguments(self, parser: Any) -> None:
        # Not loaded by default: the test suite loads the demo and asserts its figures over
        # periods that run to today; `make demo` passes --sample.
        parser.add_argument(
            "--sample",
            action="store_true",
            help="also load the synthetic sample ledger (01/07/2021 to today), marked as sample "
            "data and internal, so that dashboards show figures from records",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(None, reason="load-demo"), transaction.atomic():
            for report in load_all():
                self.stdout.write(
                    f"  {report.source}: {report.created} created, {report.updated} updated, "
                    f"{report.unchanged} unchanged, {report.successions_created} successions"
                )
            load_sources(DATA / "sources.yaml")
            counts = gazetteer.load()
            self.stdout.write(f"  demo gazetteer: {counts}")
            self.stdout.write(f"  demo cooperation: {cooperation.load()}")
            self.stdout.write(f"  demo border: {border.load()}")
            self.stdout.write(f"  demo economy: {economy.load()}")
            self.stdout.write(f"  demo reform: {reform.load()}")
            users = ensure_demo_users()
            people_demo = people.load()
            users += people_demo["users"]
            self.stdout.write(f"  demo people: {people_demo['returns_checked']} returns checked")
            self.stdout.write(f"  demo portal: {portal.load()}")
            if options["sample"]:
                self.stdout.write(f"  demo sample ledger: {sample.load()}")
        self.stdout.write(self.style.SUCCESS("Demo loaded. Log in with any of these accounts:"))
        for username, description in users:
            self.stdout.write(f"  {username:10} / {DEMO_PASSWORD}   ({description})")
