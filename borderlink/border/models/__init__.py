"""Border operations: the line and its sections, markers, inspections, gates, incidents, alerts."""

from borderlink.border.models.alerts import Alert
from borderlink.border.models.gates import Gate, GateFigure, GateProject
from borderlink.border.models.incidents import Incident, IncidentStep
from borderlink.border.models.line import BorderSection, SectionAssignment
from borderlink.border.models.markers import Inspection, Marker, MarkerCheck

__all__ = [
    "Alert",
    "BorderSection",
    "Gate",
    "GateFigure",
    "GateProject",
    "Incident",
    "IncidentStep",
    "Inspection",
    "Marker",
    "MarkerCheck",
    "SectionAssignment",
]
