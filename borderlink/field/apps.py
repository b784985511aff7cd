from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    """The field app: an installable web app for station and commune officers that records with
    no network and sends each entry exactly once when the network is back."""

    name = "borderlink.field"
    label = "field"
    verbose_name = _("Field app")
