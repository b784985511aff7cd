from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "borderlink.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from borderlink.stats import rollup, rules

        rollup.connect_signals()
        # Each rules_<app>.py registers the indicator rules it evaluates (stats/rules.py).
        rules.discover()
