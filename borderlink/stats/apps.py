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
        if warm_at_start():
            from borderlink.stats import scope

            scope.warm_in_background()


def warm_at_start() -> bool:
    """Whether this process serves pages (a gunicorn worker): then the gazetteer is read and the
    top scopes resolved as it starts, not by its first request. STATS_WARM_AT_START says so
    explicitly."""
    import sys

    from django.conf import settings

    chosen = getattr(settings, "STATS_WARM_AT_START", None)
    return bool(chosen) if chosen is not None else "gunicorn" in sys.modules
