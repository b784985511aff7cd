"""Counts of people records: totals by agreement, commune and year (no identities)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from borderlink.core.permissions import restrict
from borderlink.ledger.models import AggregateReturn
from borderlink.people.choices import LabourStatus, ScholarshipDirection
from borderlink.people.models import LabourRegistration, Scholarship


@dataclass
class LabourTotal:
    agreement: Any
    commune: Any
    year: int | None
    workers: int
    abroad: int
    with_problems: int


def labour_totals(user: Any) -> list[LabourTotal]:
    visible = restrict(LabourRegistration.objects.all(), user, "view")
    rows = (
        visible.annotate(year=ExtractYear("departed_on"))
        .values("agreement", "home_commune", "year")
        .annotate(
            workers=Count("pk"),
            abroad=Count("pk", filter=Q(status=LabourStatus.WORKING)),
            with_problems=Count("pk", filter=~Q(problem_kind="")),
        )
        .order_by("agreement", "home_commune", "year")
    )
    found: list[dict[str, Any]] = [dict(row) for row in rows]
    agreements = {a.pk: a for a in _related(LabourRegistration, "agreement", found)}
    communes = {u.pk: u for u in _related(LabourRegistration, "home_commune", found)}
    return [
        LabourTotal(
            agreements.get(row["agreement"]),
            communes.get(row["home_commune"]),
            row["year"],
            row["workers"],
            row["abroad"],
            row["with_problems"],
        )
        for row in found
    ]


def _related(model: Any, name: str, rows: list[dict[str, Any]]) -> list[Any]:
    related = model._meta.get_field(name).related_model
    return list(related._default_manager.filter(pk__in={r[name] for r in rows}))


def scholarship_totals(user: Any) -> list[dict[str, Any]]:
    visible = restrict(Scholarship.objects.all(), user, "view")
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in visible.values("year", "direction")
        .annotate(awards=Count("pk"))
        .order_by("-year", "direction")
    ]
    labels = dict(ScholarshipDirection.choices)
    for row in rows:
        row["direction_label"] = labels.get(row["direction"], row["direction"])
    return rows


def declared_returns(user: Any, kinds: tuple[str, ...]) -> list[AggregateReturn]:
    """The aggregate returns (the seeds' totals: more than 2,000 workers since 2014, 158
    scholarships since 2011) that the figures count instead of individual records."""
    visible = restrict(AggregateReturn.objects.all(), user, "view")
    return list(visible.filter(kind__in=kinds).select_related("home_unit", "counterpart", "source"))
