"""Inspections drive markers and incidents: damage opens an incident, a repair closes it.

Called whenever a MarkerCheck is saved (form, import, API, demo), inside the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils.translation import gettext as _

from borderlink.border.choices import DAMAGE, Condition, IncidentKind, IncidentStatus

if TYPE_CHECKING:
    from borderlink.border.models import Incident, Marker, MarkerCheck


def _refresh_marker(marker: Marker) -> None:
    """The marker's condition and last inspection are those of its latest check."""
    latest = (
        marker.checks.select_related("inspection")
        .order_by("-inspection__inspected_on", "-id")
        .first()
    )
    last_day = marker.checks.aggregate(day=Max("inspection__inspected_on"))["day"]
    condition = "unknown"
    if latest is not None:
        condition = Condition.INTACT if latest.repaired else latest.condition
    if marker.condition != condition or marker.last_inspected_on != last_day:
        marker.condition = condition
        marker.last_inspected_on = last_day
        marker.save(update_fields=["condition", "last_inspected_on", "updated_at"])


def after_check_deleted(check: MarkerCheck) -> None:
    """A deleted check (or its whole inspection) no longer counts for the marker."""
    from borderlink.border.models import Marker

    marker = Marker.objects.filter(pk=check.marker_id).first()
    if marker is not None:
        _refresh_marker(marker)


def after_check(check: MarkerCheck) -> Incident | None:
    """Apply a saved check; returns the incident it opened or closed, if any."""
    from borderlink.border.models import Incident

    marker, inspection = check.marker, check.inspection
    _refresh_marker(marker)
    incident = marker.open_incident()
    day = inspection.inspected_on
    if check.condition in DAMAGE and incident is None:
        incident = Incident(
            kind=IncidentKind.MARKER_DAMAGE,
            title=_("Marker %(number)s found %(condition)s")
            % {"number": marker.number, "condition": check.get_condition_display().lower()},
            occurred_on=day,
            reported_by=inspection.patrol or str(inspection.home_unit),
            marker=marker,
            section=marker.section,
            latitude=marker.latitude,
            longitude=marker.longitude,
            home_unit=inspection.home_unit,
            counterpart=inspection.counterpart,
            opened_by=check,
        )
        incident.full_clean(exclude=["handovers"])
        incident.save()
    if check.repaired and incident is not None and incident.status == IncidentStatus.OPEN:
        incident.status = IncidentStatus.RESOLVED
        incident.resolved_on = max(day, incident.occurred_on)
        incident.closed_by = check
        note = _("Repaired: inspection of %(date)s.") % {"date": day.strftime("%d/%m/%Y")}
        incident.outcome = f"{incident.outcome}\n{note}".strip()
        incident.save()
    return incident
