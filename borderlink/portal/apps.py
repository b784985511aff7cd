from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "borderlink.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from borderlink.portal import signals

        signals.connect_signals()
