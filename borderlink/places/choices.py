from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    VN = "VN", _("Vietnam")
    CN = "CN", _("China")
    LA = "LA", _("Laos")
    KH = "KH", _("Cambodia")


# The language a country's units are natively named in: the fallback when a name is missing.
NATIVE_LANGUAGE = {"VN": "vi", "CN": "zh", "LA": "vi", "KH": "vi"}


class UnitKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province / region")
    PREFECTURE = "prefecture", _("Prefecture / city")
    DISTRICT = "district", _("District / county")
    COMMUNE = "commune", _("Commune / town / xiang")
    VILLAGE = "village", _("Village")
    RESIDENTIAL_AREA = "residential_area", _("Residential area")
    BORDER_STATION = "border_station", _("Border-guard station")
    BORDER_GATE = "border_gate", _("Border gate")
    CROSSING = "crossing", _("Crossing way")
    DEPARTMENT = "department", _("Department / agency")
    CONSULATE = "consulate", _("Consulate")
    ENTERPRISE = "enterprise", _("Enterprise")
    SCHOOL = "school", _("School")
    ORGANISATION = "organisation", _("Other organisation")


TERRITORIAL_KINDS = (
    UnitKind.COUNTRY,
    UnitKind.PROVINCE,
    UnitKind.PREFECTURE,
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
    UnitKind.VILLAGE,
)
KIND_ORDER = {kind.value: index for index, kind in enumerate(UnitKind)}


class CodeSystem(models.TextChoices):
    NONE = "", _("None")
    GSO = "gso", _("Vietnam statistical office code")
    ADCODE = "adcode", _("China administrative division code")
    ISO3166 = "iso3166", _("ISO 3166 country code")


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Merged into")
    SPLIT = "split", _("Split into")
    PARTIAL = "partial", _("Part of its territory went to")
    RENAME = "rename", _("Renamed as")
    ABOLISHED = "abolished", _("Level abolished; territory went to")
    # A body (station, gate, department) that goes on under the unit now holding its old parent.
    TRANSFER = "transfer", _("Goes on, under a new parent, as")


class Lang(models.TextChoices):
    VI = "vi", _("Vietnamese")
    EN = "en", _("English")
    ZH = "zh", _("Chinese")
