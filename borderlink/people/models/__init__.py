from borderlink.people.models.handovers import HandoverPerson
from borderlink.people.models.labour import LabourDispatch, LabourRegistration
from borderlink.people.models.scholarships import Scholarship, ScholarshipAwards

__all__ = [
    "HandoverPerson",
    "LabourDispatch",
    "LabourRegistration",
    "Scholarship",
    "ScholarshipAwards",
]
