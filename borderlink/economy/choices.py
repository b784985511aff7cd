"""Choices of the economic cooperation registers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    MINING = "mining", _("Mining")
    HYDROPOWER = "hydropower", _("Hydropower")
    INDUSTRIAL_EQUIPMENT = "industrial_equipment", _("Industrial equipment")
    ELECTRICITY = "electricity", _("Electricity")
    HOSPITALITY = "hospitality", _("Restaurants and hotels")
    AGRICULTURE = "agriculture", _("Agriculture and forestry")
    LOGISTICS = "logistics", _("Logistics and transport")
    TRADE = "trade", _("Trade")
    TOURISM = "tourism", _("Tourism")
    CONSTRUCTION = "construction", _("Construction")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    LICENSED = "licensed", _("Licensed")
    BUILDING = "building", _("Under construction")
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class RaisedBy(models.TextChoices):
    ENTERPRISE = "enterprise", _("The enterprise")
    OUR_SIDE = "ours", _("Our authorities")
    THEIR_SIDE = "theirs", _("Their authorities")


class PowerDirection(models.TextChoices):
    PURCHASE = "purchase", _("Bought from the other side")
    SALE = "sale", _("Sold to the other side")


class EnergyUnit(models.TextChoices):
    KWH = "kWh", "kWh"
    MWH = "MWh", "MWh"
    GWH = "GWh", "GWh"


# To megawatt-hours.
TO_MWH = {EnergyUnit.KWH: "0.001", EnergyUnit.MWH: "1", EnergyUnit.GWH: "1000"}
