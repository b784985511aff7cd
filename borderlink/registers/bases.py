"""The abstract models every domain app's records derive from, in the base layer.

They lived in ties/models.py, which made six apps import ties only to inherit two fields; here
they sit with the register machinery that reads them (scope_path_lookup, history_scope_path),
above the Unit and the Source they link to and below every app that uses them. Abstract: moving
them changes no table and no migration.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core.fields import optional_link
from borderlink.core.models import Source, TrackedModel
from borderlink.places.models import Unit

# The form fields of a Sourced record, in the order every register shows them (after its own).
# A tuple: one constant shared by every app's declarations, which spread it (*SOURCE_FIELDS).
SOURCE_FIELDS: tuple[str, ...] = ("source", "source_quote")


class Sourced(TrackedModel):
    """A record that says where its facts come from (which document, which sentence)."""

    source = optional_link(Source, _("source"))
    source_quote = models.TextField(_("quotation from the source"), blank=True)

    class Meta:
        abstract = True


class HomeScoped(Sourced):
    """A record owned by a unit on our side: that unit's subtree decides who may act on it."""

    home_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit on our side that keeps this record"),
    )

    scope_path_lookup: ClassVar[str] = "home_unit__path"

    class Meta:
        abstract = True

    def history_scope_path(self) -> str:
        return self.home_unit.path if self.home_unit_id else ""
