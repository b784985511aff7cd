"""Alerts in the Common Alerting Protocol 1.2 (OASIS CAP XML): export, import, schema check.

An alert becomes one <alert> with one <info> block per language it has text in (vi-VN, en-US,
zh-CN). Every file is checked against the CAP 1.2 schema (data/cap-1.2.xsd) both ways: an
export that fails is a bug, an import that fails is refused with the schema's message and
nothing saved. An <alert msgType="Ack"> whose <references> name one of our alerts records the
time it was acknowledged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from borderlink.border.choices import HAZARD_CATEGORY

NS = "urn:oasis:names:tc:emergency:cap:1.2"
XSD = Path(__file__).parent / "data" / "cap-1.2.xsd"
LANGUAGES = {"vi": "vi-VN", "en": "en-US", "zh": "zh-CN"}
HAZARD_CODE = "BorderLink-hazard"  # <eventCode> that carries our hazard class
UNIT_CODE = "BorderLink-unit"  # <geocode> that carries a gazetteer unit's code
MAX_BYTES = 2 * 1024 * 1024


class CapError(ValueError):
    """A CAP document that cannot be taken: the message says why, in the user's language."""


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def cap_time(value: datetime.datetime) -> str:
    """CAP's dateTime: seconds and a numeric offset, never "Z"."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = local.replace(microsecond=0).isoformat()
    return text if text[-6] in "+-" else text + "+00:00"


def parse_time(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.strip())


def parse_polygon(text: str) -> list[tuple[float, float]]:
    """CAP polygon "lat,lon lat,lon ..." with at least four pairs, the first equal to the last."""
    points: list[tuple[float, float]] = []
    for pair in text.split():
        try:
            lat_text, lon_text = pair.split(",")
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            raise ValueError(
                _("“%(pair)s” is not a “latitude,longitude” pair.") % {"pair": pair}
            ) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(_("“%(pair)s” is outside the globe.") % {"pair": pair})
        points.append((lat, lon))
    if len(points) < 4 or points[0] != points[-1]:
        raise ValueError(_("A polygon has at least four points and ends where it starts."))
    return points


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _q(name))
    if text is not None:
        element.text = text
    return element


def _pair(parent: etree._Element, name: str, value_name: str, value: str) -> None:
    element = _sub(parent, name)
    _sub(element, "valueName", value_name)
    _sub(element, "value", value)


def to_xml(alert: Any) -> bytes:
    """The alert as a CAP 1.2 document, checked against the schema."""
    root = etree.Element(_q("alert"), nsmap={None: NS})
    _sub(root, "identifier", alert.identifier)
    _sub(root, "sender", alert.sender)
    _sub(root, "sent", cap_time(alert.issued_at))
    _sub(root, "status", "Actual")
    _sub(root, "msgType", alert.msg_type)
    _sub(root, "scope", "Public")
    units = list(alert.area_units.all()) if alert.pk else []
    for lang, tag in LANGUAGES.items():
        headline = getattr(alert, f"headline_{lang}")
        description = getattr(alert, f"description_{lang}")
        instruction = getattr(alert, f"instruction_{lang}")
        if not (headline or description or instruction):
            continue
        info = _sub(root, "info")
        _sub(info, "language", tag)
        _sub(info, "category", HAZARD_CATEGORY.get(alert.hazard, "Other"))
        _sub(info, "event", alert.event)
        _sub(info, "urgency", alert.urgency)
        _sub(info, "severity", alert.severity)
        _sub(info, "certainty", alert.certainty)
        _pair(info, "eventCode", HAZARD_CODE, alert.hazard)
        if alert.expires_at:
            _sub(info, "expires", cap_time(alert.expires_at))
        if headline:
            _sub(info, "headline", headline)
        if description:
            _sub(info, "description", description)
        if instruction:
            _sub(info, "instruction", instruction)
        area = _sub(info, "area")
        _sub(area, "areaDesc", alert.area_desc)
        if alert.polygon.strip():
            _sub(area, "polygon", " ".join(alert.polygon.split()))
        for unit in units:
            _pair(area, "geocode", UNIT_CODE, unit.code)
    document = etree.ElementTree(root)
    schema().assertValid(document)
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass
class Parsed:
    """A CAP document read into the alert register's form fields."""

    msg_type: str
    data: dict[str, str] = field(default_factory=dict)
    references: list[tuple[str, str, str]] = field(default_factory=list)  # sender, id, sent


def _text(element: etree._Element | None, name: str) -> str:
    if element is None:
        return ""
    found = element.find(_q(name))
    return (found.text or "").strip() if found is not None else ""


def _pairs(element: etree._Element, name: str) -> list[tuple[str, str]]:
    return [(_text(item, "valueName"), _text(item, "value")) for item in element.findall(_q(name))]


def read(content: bytes) -> Parsed:
    """Parse and validate a CAP 1.2 document; CapError says what is wrong."""
    if len(content) > MAX_BYTES:
        raise CapError(_("The CAP file is larger than 2 MB."))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        document = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise CapError(_("The file is not well-formed XML: %(error)s") % {"error": error}) from None
    if document.tag != _q("alert"):
        raise CapError(
            _("The file is not a CAP 1.2 alert (root element %(tag)s, namespace %(ns)s expected).")
            % {"tag": document.tag, "ns": NS}
        )
    validator = schema()
    if not validator.validate(document):
        messages = "; ".join(
            f"{_('line')} {e.line}: {e.message}" for e in list(validator.error_log)[:5]
        )
        raise CapError(
            _("The file does not follow the CAP 1.2 schema: %(errors)s") % {"errors": messages}
        )
    parsed = Parsed(msg_type=_text(document, "msgType"))
    references = _text(document, "references")
    for item in references.split():
        parts = item.split(",")
        if len(parts) == 3:
            parsed.references.append((parts[0], parts[1], parts[2]))
    data = parsed.data
    data["identifier"] = _text(document, "identifier")
    data["sender"] = _text(document, "sender")
    data["issued_at"] = parse_time(_text(document, "sent")).isoformat()
    data["msg_type"] = parsed.msg_type
    infos = document.findall(_q("info"))
    if parsed.msg_type in ("Alert", "Update", "Cancel") and not infos:
        raise CapError(_("The alert has no <info> block: nothing says what it warns of."))
    units: list[str] = []
    for info in infos:
        tag = _text(info, "language") or "en-US"
        lang = next((k for k, v in LANGUAGES.items() if tag.lower().startswith(k)), None)
        if lang is None:
            continue
        for name in ("event", "urgency", "severity", "certainty"):
            data.setdefault(name, _text(info, name))
        hazard = dict(_pairs(info, "eventCode")).get(HAZARD_CODE)
        category = _text(info, "category")
        data.setdefault(
            "hazard",
            hazard or next((h for h, c in HAZARD_CATEGORY.items() if c == category), "other"),
        )
        expires = _text(info, "expires")
        if expires:
            data.setdefault("expires_at", parse_time(expires).isoformat())
        data[f"headline_{lang}"] = _text(info, "headline")
        data[f"description_{lang}"] = _text(info, "description")
        data[f"instruction_{lang}"] = _text(info, "instruction")
        area = info.find(_q("area"))
        if area is not None:
            data.setdefault("area_desc", _text(area, "areaDesc"))
            polygon = _text(area, "polygon")
            if polygon:
                data.setdefault("polygon", polygon)
            for name, value in _pairs(area, "geocode"):
                if name == UNIT_CODE and value not in units:
                    units.append(value)
    data["area_units"] = "; ".join(units)
    return parsed
