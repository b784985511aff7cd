from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "borderlink.registers"
    label = "registers"
    verbose_name = _("Registers")

    def ready(self) -> None:
        # Every app declares its registers in `<app>/registers.py`.
        autodiscover_modules("registers")
