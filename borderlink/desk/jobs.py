"""The user's own imports and reports that are still under way (or wait for them to go on)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from borderlink.registers.models import ImportJob
from borderlink.reports.models import ReportJob

# An import being checked or written runs on its own; one ready to import waits for the user.
UNDER_WAY = [ImportJob.Status.CHECKING, ImportJob.Status.PREVIEW, ImportJob.Status.WRITING]


def imports_under_way(user: Any) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(user=user, status__in=UNDER_WAY).defer("content", "errors")


def reports_under_way(user: Any) -> QuerySet[ReportJob]:
    return (
        ReportJob.objects.filter(user=user, status=ReportJob.Status.RUNNING)
        .select_related("unit")
        .defer("content")
    )
