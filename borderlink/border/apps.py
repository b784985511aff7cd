from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BorderConfig(AppConfig):
    name = "borderlink.border"
    label = "border"
    verbose_name = _("Border operations")
