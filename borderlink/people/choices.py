from django.db import models
from django.utils.translation import gettext_lazy as _


class LabourStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered, not yet left")
    WORKING = "working", _("Working on the other side")
    RETURNED = "returned", _("Returned")
    ENDED_EARLY = "ended_early", _("Contract ended early")
    CANCELLED = "cancelled", _("Cancelled")


LABOUR_CLOSED = (LabourStatus.RETURNED, LabourStatus.ENDED_EARLY, LabourStatus.CANCELLED)


class ProblemKind(models.TextChoices):
    NONE = "", _("None reported")
    WAGES = "wages", _("Wages")
    CONTRACT = "contract", _("Contract terms")
    ACCIDENT = "accident", _("Accident or illness")
    DOCUMENTS = "documents", _("Documents or residence")
    OTHER = "other", _("Other")


class ScholarshipDirection(models.TextChoices):
    RECEIVED = "received", _("To our students (granted by the other side)")
    GIVEN = "given", _("To their students (granted by our side)")


class ScholarshipStatus(models.TextChoices):
    AWARDED = "awarded", _("Awarded")
    STUDYING = "studying", _("Studying")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


SCHOLARSHIP_CLOSED = (ScholarshipStatus.COMPLETED, ScholarshipStatus.WITHDRAWN)


class Nationality(models.TextChoices):
    VN = "vn", _("Vietnamese")
    CN = "cn", _("Chinese")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
