"""Retention: closed records about people lose their identities after a configured period.

A record is due when it has been closed (a labour registration returned, ended or cancelled; a
scholarship completed or withdrawn; a hand-over done) for PEOPLE_RETENTION_DAYS. Anonymising
clears the identity fields (and the free text that may describe the person) and keeps
everything that counts: agreement, commune, dates, status, problem kind, nationality, sex.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from borderlink.core.context import acting_as
from borderlink.people.models import HandoverPerson, LabourRegistration, Scholarship
from borderlink.people.models.base import Identity

MODELS: tuple[type[Identity], ...] = (LabourRegistration, Scholarship, HandoverPerson)


@dataclass
class Anonymised:
    model: type[models.Model]
    pks: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The register's slug: the report reads the same in any language."""
        from borderlink.registers.spec import register_for

        spec = register_for(self.model)
        return spec.slug if spec is not None else self.model._meta.label_lower


def cutoff(today: datetime.date | None = None, days: int | None = None) -> datetime.date:
    today = today or timezone.localdate()
    keep = settings.PEOPLE_RETENTION_DAYS if days is None else days
    return today - datetime.timedelta(days=keep)


def due(model: type[Identity], before: datetime.date) -> list[Any]:
    records: Any = model._default_manager.filter(anonymised_on__isnull=True)
    if model is HandoverPerson:
        records = records.select_related("handover").filter(handover__occurred_on__lte=before)
    found = []
    for record in records.order_by("pk"):
        closed = record.closed_since()
        if closed is not None and closed <= before:
            found.append(record)
    return found


def anonymise(
    today: datetime.date | None = None, days: int | None = None, dry_run: bool = False
) -> list[Anonymised]:
    today = today or timezone.localdate()
    before = cutoff(today, days)
    report = []
    with transaction.atomic(), acting_as(None, reason="anonymise-people"):
        for model in MODELS:
            line = Anonymised(model)
            for record in due(model, before):
                line.pks.append(record.pk)
                if not dry_run:
                    record.anonymise(today)
                    record.save()
            report.append(line)
        if not dry_run:
            forget_uploads(today)
    return report


def forget_uploads(today: datetime.date) -> int:
    """Uploaded files of people registers hold identities in clear: a committed import drops
    its file at once; one checked but never committed keeps it a day at most."""
    from borderlink.registers.models import ImportJob
    from borderlink.registers.spec import registers

    slugs = [spec.slug for spec in registers() if spec.personal is not None]
    stale = ImportJob.objects.filter(
        register__in=slugs, started_at__date__lt=today - datetime.timedelta(days=1)
    )
    return stale.update(content=b"")
