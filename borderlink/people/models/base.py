"""What every record about a person shares: the identity fields and how they are anonymised."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.people.crypto import BlindIndexField, EncryptedCharField, EncryptedDateField

if TYPE_CHECKING:
    from borderlink.people.ledger_link import Link

IDENTITY_FIELDS = ["full_name", "birth_date", "id_number"]


class Identity(models.Model):
    """A person's identity. Names stay clear (masked on pages for users without the grant);
    the ID number and date of birth are encrypted, the ID number searchable by its blind
    index. Never in __str__, so never in logs, history labels or links."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    id_number = EncryptedCharField(
        _("ID number"),
        max_length=40,
        blank=True,
        help_text=_("Citizen identity card, passport or border pass number"),
    )
    id_number_index = BlindIndexField(source="id_number")
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)

    # Cleared on anonymisation, beside the identity.
    extra_personal_fields: ClassVar[list[str]] = []

    class Meta:
        abstract = True

    @classmethod
    def personal_fields(cls) -> list[str]:
        return [*IDENTITY_FIELDS, *cls.extra_personal_fields]

    def anonymise(self, day: datetime.date) -> None:
        for name in self.personal_fields():
            field = self._meta.get_field(name)
            setattr(self, name, None if field.null else "")
        self.anonymised_on = day


class CountedInLedger(models.Model):
    """A register whose records the ledger counts (people/ledger_link.py): every save and delete
    brings the group's ledger entry in step, in the same transaction."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.ledger_link().saving(self, lambda: super(CountedInLedger, self).save(*args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self.ledger_link().deleting(
            self, lambda: super(CountedInLedger, self).delete(*args, **kwargs)
        )

    @classmethod
    def ledger_link(cls) -> Link[Any]:
        raise NotImplementedError
