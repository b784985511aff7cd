from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The home page as the user's work queue: the top layer, reading from every app below."""

    name = "borderlink.desk"
    label = "desk"
    verbose_name = _("Work queue")
