"""What every record about a person shares: the identity fields and how they are anonymised."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.people.crypto import BlindIndexField, EncryptedCharField, EncryptedDateField

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

    def anonymise(self, day: object) -> None:
        for name in self.personal_fields():
            field = self._meta.get_field(name)
            setattr(self, name, None if field.null else "")
        self.anonymised_on = day  # type: ignore[assignment]
