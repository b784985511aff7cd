"""The station's monthly log sheet: days × kinds of exchange, entered as counts.

Each filled cell is one ledger `Activity` of the sheet's unit (kind, direction, day, count): the
same records the forms make, so every figure (stats/indicators.yaml, `station.*`) counts them.
A cell whose day already holds several matching entries shows their total read-only; the list
holds them. Every write goes through the permission gate and the register's own form.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model, ProtectedError, QuerySet
from django.utils.formats import date_format, get_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderlink.core.choices import Diplomacy, Sensitivity
from borderlink.core.permissions import can, can_under, restrict
from borderlink.ledger.models import Activity, ActivityKind, Channel, Direction
from borderlink.places.models import Unit
from borderlink.registers import write
from borderlink.registers.fields import natural_key_field
from borderlink.registers.spec import get_register
from borderlink.registers.tabular import cell_value
from borderlink.ties.models import Partnership
from borderlink.ties.recording import default_counterpart, partnerships_of

COUNT, PERSONS = "count", "persons"


@dataclass(frozen=True)
class Column:
    """One column of the paper log. `direction` None matches entries of either direction (new
    ones are joint); `indicator` is the figure the column's entries count in."""

    key: str
    label: Promise
    kind: str
    channel: str
    entry_title: Promise  # the first half of a generated title: "Letter sent · 03/12/2026"
    indicator: str
    direction: str | None = None
    measure: str = COUNT

    @property
    def in_day_total(self) -> bool:
        # A day's total counts exchanges; persons are not exchanges.
        return self.measure == COUNT


COLUMNS: tuple[Column, ...] = (
    Column(
        "letters_sent",
        gettext_lazy("Letters sent"),
        ActivityKind.LETTER,
        Channel.LETTER,
        gettext_lazy("Letter sent"),
        "station.letters",
        direction=Direction.SENT,
    ),
    Column(
        "letters_received",
        gettext_lazy("Letters received"),
        ActivityKind.LETTER,
        Channel.LETTER,
        gettext_lazy("Letter received"),
        "station.letters",
        direction=Direction.RECEIVED,
    ),
    Column(
        "talks",
        gettext_lazy("Talks"),
        ActivityKind.MEETING,
        Channel.IN_PERSON,
        gettext_lazy("Talks"),
        "station.talks",
    ),
    Column(
        "calls",
        gettext_lazy("Phone calls"),
        ActivityKind.PHONE_CALL,
        Channel.PHONE,
        gettext_lazy("Phone call"),
        "station.phone_calls",
    ),
    Column(
        "checks",
        gettext_lazy("Joint checks"),
        ActivityKind.BILATERAL_CHECK,
        Channel.IN_PERSON,
        gettext_lazy("Bilateral check"),
        "station.joint_checks",
    ),
    Column(
        "patrols",
        gettext_lazy("Joint patrols"),
        ActivityKind.JOINT_PATROL,
        Channel.IN_PERSON,
        gettext_lazy("Joint patrol"),
        "exchanges.all",  # no station.* figure counts patrols; the exchanges total does
    ),
    Column(
        "handovers",
        gettext_lazy("Hand-overs"),
        ActivityKind.HANDOVER,
        Channel.IN_PERSON,
        gettext_lazy("Hand-over of citizens"),
        "station.handovers",
    ),
    Column(
        "persons",
        gettext_lazy("Persons handed over"),
        ActivityKind.HANDOVER,
        Channel.IN_PERSON,
        gettext_lazy("Hand-over of citizens"),
        "station.persons_handed_over",
        measure=PERSONS,
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
KINDS = sorted({column.kind for column in COLUMNS})


def _matches(column: Column, activity: Activity) -> bool:
    return activity.kind == column.kind and (
        column.direction is None or activity.direction == column.direction
    )


def _measure(column: Column, activity: Activity) -> int:
    return (activity.count if column.measure == COUNT else activity.persons) or 0


@dataclass
class Cell:
    column: Column
    day: datetime.date
    entries: list[Activity] = field(default_factory=list)

    @property
    def value(self) -> int | None:
        if not self.entries:
            return None
        if self.column.measure == PERSONS and all(e.persons is None for e in self.entries):
            return None
        return sum(_measure(self.column, e) for e in self.entries)

    @property
    def several(self) -> bool:
        """Several entries (made from forms): their total is shown, changed in the list."""
        return len(self.entries) > 1

    @property
    def name(self) -> str:
        return f"c-{self.day.day:02d}-{self.column.key}"

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "several": self.several}


@dataclass
class Row:
    day: datetime.date
    cells: list[Cell]
    open: bool  # the unit exists that day: cells may be written

    @property
    def total(self) -> int:
        return sum(c.value or 0 for c in self.cells if c.column.in_day_total)


@dataclass
class Sheet:
    unit: Unit
    month: datetime.date  # its first day
    rows: list[Row]
    set_aside: int  # entries of the sheet's kinds that fit no column (a joint letter)

    @property
    def column_totals(self) -> list[int]:
        return [sum(row.cells[i].value or 0 for row in self.rows) for i in range(len(COLUMNS))]

    @property
    def totals(self) -> list[tuple[Column, int]]:
        return list(zip(COLUMNS, self.column_totals, strict=True))

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def previous(self) -> datetime.date:
        return (self.month - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return month_end(self.month) + datetime.timedelta(days=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _entries(unit: Unit, start: datetime.date, end: datetime.date, user: Any) -> QuerySet:
    """The unit's own entries of the sheet's kinds the user may see (above their clearance or out
    of scope, an entry does not exist for them)."""
    return restrict(
        Activity.objects.filter(
            home_unit=unit, kind__in=KINDS, occurred_on__gte=start, occurred_on__lte=end
        ),
        user,
        "view",
    ).order_by("occurred_on", "pk")


def build(unit: Unit, month: datetime.date, user: Any) -> Sheet:
    start, end = month.replace(day=1), month_end(month)
    by_day: dict[datetime.date, list[Activity]] = {}
    for activity in _entries(unit, start, end, user):
        by_day.setdefault(activity.occurred_on, []).append(activity)
    rows, set_aside = [], 0
    for number in range(1, end.day + 1):
        day = start.replace(day=number)
        entries = by_day.get(day, [])
        cells = [Cell(c, day, [e for e in entries if _matches(c, e)]) for c in COLUMNS]
        set_aside += sum(1 for e in entries if not any(_matches(c, e) for c in COLUMNS))
        rows.append(Row(day, cells, unit.is_valid_on(day)))
    return Sheet(unit, start, rows, set_aside)


def day_cells(unit: Unit, day: datetime.date, user: Any) -> dict[str, dict[str, Any]]:
    """Every cell of one day, as the page shows it after a save (clearing a hand-over clears
    its persons too)."""
    entries = list(_entries(unit, day, day, user))
    return {c.key: Cell(c, day, [e for e in entries if _matches(c, e)]).as_json() for c in COLUMNS}


_UNKNOWN: Any = object()


class CellError(Exception):
    """A cell that was not saved, with the reason in the page's language and, when it was read,
    the cell's value now (`known`)."""

    def __init__(self, message: str, current: int | None = _UNKNOWN) -> None:
        super().__init__(message)
        self.message = message
        self.known = current is not _UNKNOWN
        self.current = None if current is _UNKNOWN else current


def parse_count(text: str) -> int | None:
    """A typed count: empty or 0 is no entry. Digits, grouped as the page's language groups
    them (1.456 in Vietnamese, 1,456 in English)."""
    text = re.sub(r"\s", "", text or "")
    if text in ("", "0"):
        return None
    separator = re.escape(str(get_format("THOUSAND_SEPARATOR")))
    if re.fullmatch(rf"\d{{1,3}}({separator}\d{{3}})+", text):
        text = re.sub(separator, "", text)
    if not text.isdigit():
        raise CellError(_("Enter a whole number (or leave the cell empty)."))
    value = int(text)
    if value == 0:
        return None
    if value > 1_000_000:
        raise CellError(_("This number is too large for one day."))
    return value


def generated_title(column: Column, day: datetime.date) -> str:
    return f"{column.entry_title} · {date_format(day, 'SHORT_DATE_FORMAT')}"


def _partnership(
    user: Any, unit: Unit, counterpart: Unit, day: datetime.date
) -> Partnership | None:
    """The closest partnership in force that joins the unit to the counterpart, when the user
    may see it (the form accepts only links the user may view)."""
    for tie in partnerships_of(unit, day):
        if counterpart in tie.their_units.all():
            return tie if can(user, "view", tie) else None
    return None


def _new_entry_values(
    user: Any, unit: Unit, column: Column, day: datetime.date, value: int
) -> dict[str, Any]:
    counterpart = default_counterpart(unit, day)
    tie = _partnership(user, unit, counterpart, day) if counterpart is not None else None
    return {
        "kind": column.kind,
        "occurred_on": day,
        "title": generated_title(column, day),
        "home_unit": unit,
        "counterpart": counterpart,
        "partnership": tie,
        "channel": column.channel,
        # The tie's channel when there is one; a station's exchanges are state diplomacy.
        "diplomacy": tie.diplomacy if tie is not None else Diplomacy.STATE,
        "direction": column.direction or Direction.JOINT,
        "sensitivity": Sensitivity.INTERNAL,
        "count": value,
    }


def _save(
    user: Any, instance: Activity | None, values: dict[str, Any], current: int | None
) -> Activity:
    """Through the one write path (registers/write.py: the register's form for this user, the
    gate, history); its messages become the cell's."""
    spec = get_register("activities")
    data: dict[str, Any] = {}
    if instance is not None:  # form-style data: the record as it is, then the cell's change
        for name in spec.fields:
            own = getattr(instance, name, None)
            # Dates as dates: the form reads them whatever the page's date format is.
            data[name] = own if isinstance(own, datetime.date) else cell_value(spec, instance, name)
    for name, value in values.items():
        if value is None:
            data[name] = ""
        elif isinstance(value, Model):  # a link, named as files and forms name it
            data[name] = str(getattr(value, natural_key_field(type(value))))
        else:
            data[name] = value
    outcome = write.save(spec, user, data, instance=instance)
    if not outcome.ok:
        raise CellError(" ".join(m for ms in outcome.errors.values() for m in ms), current)
    return outcome.saved


def save_cell(
    user: Any,
    unit: Unit,
    day: datetime.date,
    column: Column,
    text: str,
    was: int | str | None = "",
) -> int | None:
    """Writes one cell: fills (a new entry), changes (the entry's count or persons) or clears
    (deletes the entry). `was` is the value the user started from ("" when unknown): a cell
    changed by someone else meanwhile is refused, with its value now. Returns the cell's value."""
    value = parse_count(text)
    if not unit.is_valid_on(day):
        raise CellError(
            _("%(unit)s did not exist on %(day)s.")
            % {"unit": unit, "day": date_format(day, "SHORT_DATE_FORMAT")}
        )
    with transaction.atomic():
        # One writer per unit at a time: two saves of an empty cell must not make two entries.
        # (NO KEY UPDATE: an import inserting entries of the unit does not hold this up.)
        Unit.objects.select_for_update(no_key=True).filter(pk=unit.pk).first()
        # The cell's entries locked too, against a form or the API changing one meanwhile (only
        # the entries: the gate's join must not lock the unit rows).
        entries = list(
            _entries(unit, day, day, user).filter(kind=column.kind).select_for_update(of=("self",))
        )
        cell = Cell(column, day, [e for e in entries if _matches(column, e)])
        current = cell.value
        if cell.several:
            raise CellError(
                _("This day holds several entries here; change them in the list."), current
            )
        if was != "" and was != current:
            raise CellError(
                _("Someone changed this cell meanwhile; it now holds %(value)s. Nothing was saved.")
                % {"value": current if current is not None else _("nothing")},
                current,
            )
        if value == current:
            return current
        entry = cell.entries[0] if cell.entries else None
        if column.measure == PERSONS:
            return _save_persons(user, entry, value, current)
        if entry is None:
            if not can_under(user, Activity, "add", unit.path):
                raise CellError(
                    _("You may not record this for %(unit)s.") % {"unit": unit}, current
                )
            assert value is not None
            _save(user, None, _new_entry_values(user, unit, column, day, value), current)
        elif value is None:
            _delete(user, entry, current)
        else:
            if not can(user, "change", entry):
                raise CellError(_("You may not change this entry."), current)
            _save(user, entry, {"count": value}, current)
    return value


def _save_persons(
    user: Any, entry: Activity | None, value: int | None, current: int | None
) -> int | None:
    if entry is None:
        raise CellError(_("Enter the number of hand-overs of this day first."), current)
    if not can(user, "change", entry):
        raise CellError(_("You may not change this entry."), current)
    counted = getattr(entry, "handover", None)
    if counted is not None and counted.total != (value or 0):
        raise CellError(
            _("The entry's head counts add up to %(total)s; change them on the entry's page.")
            % {"total": counted.total},
            current,
        )
    _save(user, entry, {"persons": value}, current)
    return value


def _delete(user: Any, entry: Activity, current: int | None) -> None:
    if not can(user, "delete", entry):
        raise CellError(
            _("You may not delete entries; the entry stays. Ask your administrator."), current
        )
    try:
        with transaction.atomic():
            entry.delete()  # the change history records the deletion (core/history.py)
    except ProtectedError:
        raise CellError(
            _("Other records depend on this entry (commitments); it was not deleted."), current
        ) from None
