"""What the field app records: the forms of a station or commune officer's field work, each a
register of the shared machinery (registers/) with what it fixes and what it shows first.

The device renders these forms from their description (schema.py) and sends the entries to the
same write path as every page (registers/write.py): nothing here checks a record itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from borderlink.ledger.forms import HANDOVER_COUNTS
from borderlink.registers.spec import Register, get_register


@dataclass(frozen=True)
class FieldForm:
    key: str  # the form's name on the device and in the sync
    register: str  # the register's slug
    label: Any
    # Values the form fixes ({"kind": "letter"}): not shown, always sent.
    preset: dict[str, str] = field(default_factory=dict)
    # The fields shown, in order; empty: the register's quick fields for the preset.
    fields: tuple[str, ...] = ()
    # A child form (a person of a hand-over): the link field naming its parent entry, which the
    # device fills with the parent's UUID until the parent has a record.
    parent_field: str = ""
    children: tuple[str, ...] = ()  # child forms added from this one
    single: bool = False  # at most one per parent entry (a hand-over's head count)

    @property
    def spec(self) -> Register:
        return get_register(self.register)

    def shown(self) -> list[str]:
        if self.fields:
            return list(self.fields)
        quick = self.spec.quick
        by = quick.by if quick is not None else ""
        names = quick.shown(self.preset.get(by)) if quick is not None else self.spec.fields
        return [n for n in names if n not in self.preset]


FORMS: tuple[FieldForm, ...] = (
    FieldForm("letter", "activities", _("Letter"), {"kind": "letter"}),
    FieldForm("phone_call", "activities", _("Phone call"), {"kind": "phone_call"}),
    FieldForm("meeting", "activities", _("Talks"), {"kind": "meeting"}),
    FieldForm(
        "handover",
        "activities",
        _("Hand-over"),
        {"kind": "handover"},
        children=("head_count", "person"),
    ),
    FieldForm(
        "head_count",
        "handover-counts",
        _("Head count"),
        fields=HANDOVER_COUNTS,
        parent_field="activity",
        single=True,
    ),
    FieldForm(
        "person",
        "handover-persons",
        _("Person handed over"),
        fields=("full_name", "birth_date", "id_number", "nationality", "sex", "note"),
        parent_field="handover",
    ),
    FieldForm(
        "inspection",
        "inspections",
        _("Marker inspection"),
        fields=("inspected_on", "patrol", "joint", "counterpart", "notes"),
        children=("marker_check",),
    ),
    FieldForm(
        "marker_check",
        "marker-checks",
        _("Marker checked"),
        fields=("marker", "condition", "repaired", "notes", "photo"),
        parent_field="inspection",
    ),
    FieldForm(
        "incident",
        "incidents",
        _("Incident"),
        fields=("kind", "title", "occurred_on", "reported_by", "marker", "counterpart", "outcome"),
    ),
)

BY_KEY = {f.key: f for f in FORMS}

# Records the device may change offline (an early warning acknowledged, one's own recent
# entries corrected): register → the fields it may change.
EDITABLE: dict[str, tuple[str, ...]] = {
    "alerts": ("acknowledged_at",),
    "activities": ("occurred_on", "direction", "counterpart", "count", "title", "outcomes"),
}
