"""Dates typed and shown in the page's language, in every input (the one place for it).

The browser's native date input follows the browser's locale, not the page's: a Vietnamese page
showed mm/dd/yyyy. Every date box is therefore a text box in the page language's convention
(vi and en dd/mm/yyyy, zh yyyy-mm-dd), parsed here the same way on the server:

- the language's own forms first: its numeric order with `/`, `.` or `-`, eight digits typed
  without separators (a phone's numeric keypad has no `/`), and the way its pages print a date
  ("4 Dec 2026" in English, "2026年12月4日" in Chinese);
- ISO `yyyy-mm-dd` always, because files, the API and links carry it;
- `dd/mm/yyyy` always, because the import formats document it for files in any language
  (no language here writes mm/dd, so it cannot be misread).

Years are four digits: "05/03/26" is refused rather than guessed (1926 or 2026?). A day that is
not in the calendar (29/02/2025) is refused with its own message, never rolled over to March.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Convention:
    """How one language writes a date in an input."""

    order: str  # "dmy" or "ymd"
    pattern: str  # strftime pattern of the input's value
    hint: str  # the format as a person reads it (placeholder, error messages)
    picker_format: str  # the same pattern in the date picker's notation
    picker_language: str  # the picker's locale (month and day names)
    month_names: bool = False  # also reads "4 Dec 2026", the way English pages print a date


DAY_FIRST = Convention("dmy", "%d/%m/%Y", "dd/mm/yyyy", "dd/mm/yyyy", "vi")
CONVENTIONS: dict[str, Convention] = {
    "vi": DAY_FIRST,
    # English pages print "4 Dec 2026" and, short, 04/12/2026 (formats/en): day first too.
    "en": Convention("dmy", "%d/%m/%Y", "dd/mm/yyyy", "dd/mm/yyyy", "en-GB", month_names=True),
    "zh-hans": Convention("ymd", "%Y-%m-%d", "yyyy-mm-dd", "yyyy-mm-dd", "zh-CN"),
}

_YEAR = r"([1-9]\d{3})"
_ISO = re.compile(rf"{_YEAR}-(\d{{1,2}})-(\d{{1,2}})")
_DMY = re.compile(rf"(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-]{_YEAR}")
_DMY_SLASH = re.compile(rf"(\d{{1,2}})/(\d{{1,2}})/{_YEAR}")
_DMY_DIGITS = re.compile(rf"(\d{{2}})(\d{{2}}){_YEAR}")
_YMD = re.compile(rf"{_YEAR}[/.](\d{{1,2}})[/.](\d{{1,2}})")
_YMD_DIGITS = re.compile(rf"{_YEAR}(\d{{2}})(\d{{2}})")
_YMD_CHINESE = re.compile(rf"{_YEAR}\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日?")
_DAY_MONTH_NAME = re.compile(rf"(\d{{1,2}})\s+([A-Za-z]{{3,9}})\.?,?\s+{_YEAR}")
_MONTH_NAME_DAY = re.compile(rf"([A-Za-z]{{3,9}})\.?\s+(\d{{1,2}}),?\s+{_YEAR}")
_ENGLISH_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


class DateError(ValueError):
    """A typed date that cannot be read (code "invalid") or is not in the calendar
    (code "nonexistent"); `message` says so in the active language."""

    def __init__(self, text: str, code: str) -> None:
        super().__init__(text)
        self.text = text
        self.code = code

    @property
    def message(self) -> str:
        hint = convention().hint
        if self.code == "nonexistent":
            return _("%(value)s is not a day of the calendar: check the day and the month.") % {
                "value": self.text
            }
        return _("Enter the date as %(format)s (for example %(example)s).") % {
            "format": hint,
            "example": format_date(datetime.date(2026, 12, 31)),
        }


def convention(language: str | None = None) -> Convention:
    """The convention of `language` (default: the active one); Vietnamese's when unknown."""
    code = (language or get_language() or "vi").lower()
    return CONVENTIONS.get(code) or CONVENTIONS.get(code.split("-")[0]) or DAY_FIRST


def format_date(value: datetime.date | None, language: str | None = None) -> str:
    """`value` as an input shows it in `language` ('' for none)."""
    if value is None:
        return ""
    # strftime pads years below 1000 differently per platform; the inputs only take 4 digits.
    return value.strftime(convention(language).pattern)


def same_day_last_year(day: datetime.date) -> datetime.date:
    """The same day one year earlier: 28 February for 29 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _english_month(name: str) -> int | None:
    name = name.lower()
    for number, month in enumerate(_ENGLISH_MONTHS, start=1):
        if len(name) >= 3 and month.startswith(name):
            return number
    return None


def _candidates(text: str, language: str | None) -> list[tuple[str, str, str]]:
    """(year, month, day) read from `text` by the language's forms, then ISO, then dd/mm/yyyy."""
    conv = convention(language)
    found: list[tuple[str, str, str]] = []
    if conv.order == "ymd":
        for pattern in (_YMD, _YMD_DIGITS, _YMD_CHINESE):
            if match := pattern.fullmatch(text):
                year, month, day = match.groups()
                found.append((year, month, day))
    else:
        for pattern in (_DMY, _DMY_DIGITS):
            if match := pattern.fullmatch(text):
                day, month, year = match.groups()
                found.append((year, month, day))
    if conv.month_names:
        if match := _DAY_MONTH_NAME.fullmatch(text):
            day, name, year = match.groups()
            if month_number := _english_month(name):
                found.append((year, str(month_number), day))
        if match := _MONTH_NAME_DAY.fullmatch(text):
            name, day, year = match.groups()
            if month_number := _english_month(name):
                found.append((year, str(month_number), day))
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
        found.append((year, month, day))
    if match := _DMY_SLASH.fullmatch(text):
        day, month, year = match.groups()
        found.append((year, month, day))
    return found


def parse(text: str | None, language: str | None = None) -> datetime.date | None:
    """The date typed as `text` in `language` (default: the active one); None when empty.
    Raises DateError when it cannot be read or is not in the calendar."""
    text = (text or "").strip()
    if not text:
        return None
    candidates = _candidates(text, language)
    if not candidates:
        raise DateError(text, "invalid")
    for year, month, day in candidates:
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            continue
    raise DateError(text, "nonexistent")


def parse_or(text: str | None, default: Any = None) -> Any:
    """For query strings (filters, periods): the date, or `default` when empty or unreadable."""
    try:
        return parse(text) or default
    except DateError:
        return default


class DateInput(forms.TextInput):
    """A text box showing the date in the page's language; `static/borderlink/dates.js` adds a
    picker in the same language. Without JavaScript it is a plain box that takes typed dates."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return format_date(value)
        if isinstance(value, str) and value:
            # A value from a query string or an import ("2026-12-04") is shown the page's way;
            # what cannot be read is shown as typed, beside its error.
            try:
                return format_date(parse(value))
            except DateError:
                return value
        return None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        conv = convention()
        attrs = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": conv.hint,
            "data-date-picker": "",
            "data-date-format": conv.picker_format,
            "data-date-order": conv.order,
            "data-date-language": conv.picker_language,
            "data-date-picker-label": _("Choose a date"),
            **(attrs or {}),
        }
        return super().get_context(name, value, attrs)


class DateField(forms.DateField):
    """A form's date: read with `parse`, refused with a message naming the expected format."""

    widget = DateInput

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse(str(value))
        except DateError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
