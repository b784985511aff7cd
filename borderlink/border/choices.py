"""Choices of the border registers."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Accuracy(models.TextChoices):
    SURVEYED = "surveyed", _("Surveyed")
    APPROXIMATE = "approximate", _("Approximate")
    UNKNOWN = "unknown", _("Unknown")


class MarkerKind(models.TextChoices):
    MAIN = "main", _("Main marker (single)")
    SECONDARY = "secondary", _("Secondary marker")
    TWIN = "twin", _("Twin marker (same number, both banks)")
    TRIPLE = "triple", _("Triple marker (same number)")


class MarkerSize(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")


class Condition(models.TextChoices):
    INTACT = "intact", _("Intact")
    DAMAGED = "damaged", _("Damaged")
    MOVED = "moved", _("Moved")
    LOST = "lost", _("Lost")


# What a marker's condition can be: what an inspection found, or not yet known.
MARKER_CONDITIONS = [*Condition.choices, ("unknown", _("Not yet inspected"))]
DAMAGE = frozenset({Condition.DAMAGED, Condition.MOVED, Condition.LOST})


class GateKind(models.TextChoices):
    INTERNATIONAL = "international", _("International border gate")
    BILATERAL = "bilateral", _("Bilateral border gate (main)")
    SECONDARY = "secondary", _("Secondary border gate")
    CROSSING = "crossing", _("Crossing way (lối mở)")


class GateStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("gate status", "Open")
    RESTRICTED = "restricted", _("Open with restrictions")
    CLOSED = "closed", _("Closed")
    PLANNED = "planned", _("Planned")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class GateMeasure(models.TextChoices):
    PERSONS_IN = "persons_in", _("Persons entering")
    PERSONS_OUT = "persons_out", _("Persons leaving")
    VEHICLES_IN = "vehicles_in", _("Vehicles entering")
    VEHICLES_OUT = "vehicles_out", _("Vehicles leaving")
    IMPORT_VALUE = "import_value", _("Import value")
    EXPORT_VALUE = "export_value", _("Export value")


PERSON_MEASURES = frozenset({GateMeasure.PERSONS_IN, GateMeasure.PERSONS_OUT})
VEHICLE_MEASURES = frozenset({GateMeasure.VEHICLES_IN, GateMeasure.VEHICLES_OUT})
VALUE_MEASURES = frozenset({GateMeasure.IMPORT_VALUE, GateMeasure.EXPORT_VALUE})
PERSONS_UNIT, VEHICLES_UNIT = "persons", "vehicles"


class Nationality(models.TextChoices):
    VIETNAMESE = "VN", pgettext_lazy("nationality", "Vietnamese")
    CHINESE = "CN", pgettext_lazy("nationality", "Chinese")
    OTHER = "other", _("Other nationalities")


class IncidentKind(models.TextChoices):
    AGREEMENT_VIOLATION = "violation", _("Violation of the border agreements")
    ILLEGAL_CROSSING = "illegal_crossing", _("Illegal crossing")
    CRIME = "crime", _("Crime cooperation case")
    MARKER_DAMAGE = "marker_damage", _("Marker damage")
    OTHER = "other", _("Other")


class IncidentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("incident status", "Open")
    RESOLVED = "resolved", _("Resolved")


class Side(models.TextChoices):
    OURS = "ours", _("Our side")
    THEIRS = "theirs", _("Their side")
    JOINT = "joint", _("Both sides jointly")


class AlertDirection(models.TextChoices):
    SENT = "sent", _("Sent to the other side")
    RECEIVED = "received", _("Received from the other side")


class Hazard(models.TextChoices):
    STORM = "storm", _("Storm")
    FLOOD = "flood", _("Flood")
    LANDSLIDE = "landslide", _("Landslide")
    ANIMAL_DISEASE = "animal_disease", _("Animal disease (e.g. African swine fever)")
    EPIDEMIC = "epidemic", _("Epidemic (e.g. COVID-19)")
    OTHER = "other", _("Other")


# CAP 1.2 <category> for each hazard.
HAZARD_CATEGORY = {
    "storm": "Met",
    "flood": "Met",
    "landslide": "Geo",
    "animal_disease": "Health",
    "epidemic": "Health",
    "other": "Other",
}


class Severity(models.TextChoices):
    EXTREME = "Extreme", _("Extreme")
    SEVERE = "Severe", _("Severe")
    MODERATE = "Moderate", _("Moderate")
    MINOR = "Minor", _("Minor")
    UNKNOWN = "Unknown", _("Unknown")


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("Immediate")
    EXPECTED = "Expected", _("Expected")
    FUTURE = "Future", _("Future")
    PAST = "Past", _("Past")
    UNKNOWN = "Unknown", _("Unknown")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", _("Observed")
    LIKELY = "Likely", _("Likely")
    POSSIBLE = "Possible", _("Possible")
    UNLIKELY = "Unlikely", _("Unlikely")
    UNKNOWN = "Unknown", _("Unknown")


class MsgType(models.TextChoices):
    ALERT = "Alert", _("Alert")
    UPDATE = "Update", _("Update")
    CANCEL = "Cancel", _("Cancel")
