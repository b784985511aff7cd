"""The OpenAPI schema of personal fields (registers/personal.py): an answer carries either the
value or MASK, so a field that is not text is described as "its type, or MASK". Without this the
schema said `format: date` and clients that trust it failed on "•••"."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from borderlink.registers.personal import MASK
from borderlink.registers.spec import Register

_TYPED: list[tuple[type[serializers.Field], dict[str, Any]]] = [
    (serializers.DateTimeField, {"type": "string", "format": "date-time"}),
    (serializers.DateField, {"type": "string", "format": "date"}),
    (serializers.TimeField, {"type": "string", "format": "time"}),
    (serializers.BooleanField, {"type": "boolean"}),
    (serializers.IntegerField, {"type": "integer"}),
    (serializers.DecimalField, {"type": "string", "format": "decimal"}),
    (serializers.FloatField, {"type": "number"}),
    (serializers.ChoiceField, {"type": "string"}),
]


def _schema(field: serializers.Field) -> dict[str, Any]:
    typed = next((s for kind, s in _TYPED if isinstance(field, kind)), {})
    masked = {"type": "string", "enum": [MASK]}
    note = _(
        "Personal data: an answer carries %(mask)s instead of the value where the user may not "
        "see it."
    ) % {"mask": MASK}
    schema: dict[str, Any] = {
        "anyOf": [typed, masked] if typed else [{}],
        "description": f"{field.help_text} {note}" if field.help_text else note,
    }
    if getattr(field, "allow_null", False):
        schema["nullable"] = True
    return schema


def describe_masking(spec: Register, fields: dict[str, Any]) -> dict[str, Any]:
    """Give the serializer's personal fields that are not text a schema that admits MASK."""
    if spec.personal is None:
        return fields
    for name in spec.personal.fields:
        field = fields.get(name)
        if field is None or (
            isinstance(field, serializers.CharField)
            and not isinstance(field, serializers.ChoiceField)
        ):
            continue
        annotation = dict(getattr(field, "_spectacular_annotation", {}))
        annotation["field"] = _schema(field)
        field._spectacular_annotation = annotation  # read by drf-spectacular for this instance
    return fields
