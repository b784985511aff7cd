"""An export imported again: rows that carry a record's ID are matched to that record.

What a user expects of "export, then import the same file": nothing doubled and nothing lost.
A row whose values are the record's as it is now is nothing to change: skipped and counted.
A row that differs is refused, naming the columns that differ and the record: an import adds
records, and overwriting one from a file could undo what someone saved since the export (the
edit page guards that with its version check; a file has none). A row without an ID, or with
one that names no record the user may see (deleted since, or from another system), is a new
record. The template's example row (ID "example") is skipped.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from borderlink.core import dates
from borderlink.core.permissions import restrict
from borderlink.registers import personal
from borderlink.registers.columns import ID, Column, fields_of, is_example, split_codes
from borderlink.registers.spec import Register
from borderlink.registers.tabular import cell_value

CHUNK = 500  # rows whose records are fetched together


class Matched:
    """The rows of an import with what is known of their IDs; iterate `numbered()` for the rows
    to write, as (row number in the file, machine row); refusals gather in `errors`."""

    def __init__(self, spec: Register, user: Any, rows: Any) -> None:
        self.spec, self.user, self.rows = spec, user, rows
        self.unchanged = 0
        self.errors: list[dict[str, Any]] = []
        self._cols = fields_of(spec)

    def __len__(self) -> int:
        return len(self.rows)

    def numbered(self) -> Iterator[tuple[int, dict[str, str]]]:
        self.unchanged, self.errors = 0, []
        visible = restrict(self.spec.model._default_manager.all(), self.user, "view")
        single = [c.name for c in self._cols if c.kind == "link"]
        several = [c.name for c in self._cols if c.kind == "links"]
        numbered = enumerate(self.rows, start=2)  # row 1 is the header
        while chunk := list(itertools.islice(numbered, CHUNK)):
            # The records a chunk names, with what they link to, in a few queries.
            ids = {key for _n, row in chunk if (key := _record_id(row)) is not None}
            records = (
                {
                    obj.pk: obj
                    for obj in visible.filter(pk__in=ids)
                    .select_related(*single)
                    .prefetch_related(*several)
                }
                if ids
                else {}
            )
            shown = personal.revealed(self.spec, self.user, list(records))
            for number, row in chunk:
                if is_example(row):  # the template's example: nothing to change either
                    self.unchanged += 1
                    continue
                key = _record_id(row)
                row.pop(ID, None)
                record = records.get(key) if key is not None else None
                if record is None:
                    # No ID; or deleted since the export, or never the user's to see (which
                    # must read the same): the row is what it says, a record to add.
                    yield number, row
                    continue
                changed = self.differences(record, row, record.pk in shown)
                if not changed:
                    self.unchanged += 1
                    continue
                self.errors.append(self._refusal(number, record.pk, changed))

    def _refusal(self, number: int, pk: Any, changed: list[Column]) -> dict[str, Any]:
        columns = ", ".join(c.label for c in changed)
        return {
            "row": number,
            "field": columns,
            "message": _(
                "This row is record %(id)s with other values (%(columns)s). An import "
                "adds new records and never changes one: change record %(id)s on its "
                "page, or empty the ID cell to add the row as a new record."
            )
            % {"id": pk, "columns": columns},
        }

    def differences(self, record: Any, row: dict[str, str], shown: bool) -> list[Column]:
        """The columns of `row` whose values are not the record's (masked ones not compared)."""
        changed = []
        for column in self._cols:
            if column.name not in row:
                continue
            if personal.is_personal(self.spec, column.name) and not shown:
                continue
            if not same(column, row[column.name], cell_value(self.spec, record, column.name)):
                changed.append(column)
        return changed


def _record_id(row: dict[str, str]) -> int | None:
    """The record a row's ID cell names, if it is a record number (64 bits at most)."""
    text = (row.get(ID) or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def same(column: Column, text: str, stored: Any) -> bool:
    """Does a file's cell say what the record holds? (codes, dates and numbers as values)."""
    text = (text or "").strip()
    if stored is None or stored == "":
        return text == ""
    if column.kind == "links":
        return sorted(split_codes(text)) == sorted(split_codes(str(stored)))
    if column.kind == "bool":
        return text == ("true" if stored else "false")
    if isinstance(stored, bool):
        return text.lower() in (("true", "1") if stored else ("false", "0"))
    if isinstance(stored, int | float | decimal.Decimal):
        try:
            return decimal.Decimal(text) == decimal.Decimal(str(stored))
        except decimal.InvalidOperation:
            return False
    if column.kind == "date":
        day = dates.parse_or(text)
        return day is not None and day.isoformat() == str(stored)
    if column.kind == "datetime":
        try:
            return datetime.datetime.fromisoformat(text) == datetime.datetime.fromisoformat(
                str(stored)
            )
        except ValueError:
            return False
    return text == str(stored).strip()
