from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "borderlink.places"
    label = "places"
    verbose_name = _("Gazetteer")

    def ready(self) -> None:
        # The panels of a unit's page come from the apps above (places/panels.py): each declares
        # them in its own `unit_panels.py`.
        autodiscover_modules("unit_panels")
