"""The persons in a hand-over of citizens. The ledger's head counts (ledger.HandoverDetail)
stay the public figure; identities recorded here are personal data of the station."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core.choices import Sensitivity
from borderlink.core.models import TrackedModel
from borderlink.ledger.models import Activity
from borderlink.people.choices import Nationality, Sex
from borderlink.people.models.base import IDENTITY_FIELDS, Identity


class HandoverPerson(Identity, TrackedModel):
    handover = models.ForeignKey(
        Activity,
        verbose_name=_("hand-over"),
        on_delete=models.CASCADE,
        related_name="persons_handed_over",
    )
    nationality = models.CharField(_("nationality"), max_length=6, choices=Nationality.choices)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Copied from the hand-over: a person of a confidential hand-over is confidential too.
    sensitivity = models.PositiveSmallIntegerField(
        _("sensitivity"), choices=Sensitivity.choices, default=Sensitivity.INTERNAL, editable=False
    )

    scope_path_lookup: ClassVar[str] = "handover__home_unit__path"
    # The gate reads the hand-over's level itself: the copy above may lag behind a change.
    sensitivity_lookup: ClassVar[str] = "handover__sensitivity"
    extra_personal_fields: ClassVar[list[str]] = ["note"]
    history_masked_fields: ClassVar[frozenset[str]] = frozenset([*IDENTITY_FIELDS, "note"])

    class Meta:
        verbose_name = _("person handed over")
        verbose_name_plural = _("persons handed over")
        ordering = ["-handover__occurred_on", "id"]

    def __str__(self) -> str:
        return str(_("Person handed over no. %(pk)s") % {"pk": self.pk or "—"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.handover_id:
            self.sensitivity = self.handover.sensitivity
        super().save(*args, **kwargs)

    def history_scope_path(self) -> str:
        return self.handover.home_unit.path if self.handover_id else ""

    def closed_since(self) -> datetime.date | None:
        return self.handover.occurred_on
