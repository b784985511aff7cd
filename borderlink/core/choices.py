"""Choices shared by several registers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Diplomacy(models.TextChoices):
    """The three channels of diplomacy: every activity belongs to one (DOMAIN part 15)."""

    PARTY = "party", _("Party diplomacy")
    STATE = "state", _("State diplomacy")
    PEOPLE = "people", _("People-to-people diplomacy")


class Sensitivity(models.IntegerChoices):
    PUBLIC = 0, _("Public")
    INTERNAL = 1, _("Internal")
    CONFIDENTIAL = 2, _("Confidential")
    SECRET = 3, _("Secret")


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    MORE_THAN = "more_than", _("more than")
    NEARLY = "nearly", _("nearly")
    ABOUT = "about", _("about")
    AT_LEAST = "at_least", _("at least")
