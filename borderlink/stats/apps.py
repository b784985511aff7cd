from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "borderlink.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from borderlink.stats import rollup

        rollup.connect_signals()
