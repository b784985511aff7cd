import os

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
            _warm()
        else:
            # `borderlink serve` sets Django up before it imports gunicorn, whose workers are
            # forked from that process with their apps ready: they warm as they are forked.
            os.register_at_fork(after_in_child=_warm_if_serving)


def _warm() -> None:
    from borderlink.stats import scope

    scope.warm_in_background()


def _warm_if_serving() -> None:
    if warm_at_start():
        _warm()


def warm_at_start() -> bool:
    """Whether this process serves pages (a gunicorn worker): then the gazetteer is read and the
    top scopes resolved as it starts, not by its first request. STATS_WARM_AT_START says so
    explicitly."""
    import sys

    from django.conf import settings

    chosen = getattr(settings, "STATS_WARM_AT_START", None)
    if chosen is not None:
        return bool(chosen)
    # gunicorn's own command line, or `borderlink serve` once it hands over to gunicorn (not a
    # process it starts beside, such as the job worker).
    return "gunicorn" in sys.modules and os.path.basename(sys.argv[0]) == "gunicorn"
