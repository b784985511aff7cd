"""Choices of the delegations register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    UNDER_WAY = "under_way", _("Under way")
    REPORTED = "reported", _("Reported")
    CANCELLED = "cancelled", _("Cancelled")


# States in which the delegation has happened: it is in the ledger.
IN_LEDGER = (Status.UNDER_WAY, Status.REPORTED)


class Way(models.TextChoices):
    """Outgoing or incoming; the values are the ledger's directions (sent / received)."""

    OUTGOING = "sent", _("Outgoing (we send)")
    INCOMING = "received", _("Incoming (we receive)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    DEPARTMENT = "department", _("Department")
    STATION = "station", _("Border-guard station")
    PEOPLE = "people", _("Organisations and residents")


class DocumentsStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Being prepared")
    ISSUED = "issued", _("Issued")


class MemberRole(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    DEPUTY = "deputy", _("Deputy head")
    MEMBER = "member", _("Member")
    INTERPRETER = "interpreter", _("Interpreter")
    SUPPORT = "support", _("Support staff")


class DocumentKind(models.TextChoices):
    NONE = "", _("None")
    DIPLOMATIC = "diplomatic", _("Diplomatic passport")
    OFFICIAL = "official", _("Official passport")
    ORDINARY = "ordinary", _("Ordinary passport")
    BORDER_PASS = "border_pass", _("Border pass")
    ID_CARD = "id_card", _("Identity card")
