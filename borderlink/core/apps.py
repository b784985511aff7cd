from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "borderlink.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from borderlink.core import cache_versions, history

        history.connect_signals()
        cache_versions.connect_signals()  # figures' version moves on with their records
        post_migrate.connect(_levels_after_upgrade, sender=self, dispatch_uid="history-levels")


LEVELS_MIGRATION = ("core", "0004_changerecord_sensitivity")


def _levels_after_upgrade(plan: Any = None, **kwargs: Any) -> None:
    """The migration that gave change records their record's sensitivity found them all public:
    once it has run, they rise to their records' levels (no live code in the migration)."""
    from borderlink.core import history

    applied = {(m.app_label, m.name) for m, backwards in plan or [] if not backwards}
    if LEVELS_MIGRATION in applied:
        history.refresh_levels()
