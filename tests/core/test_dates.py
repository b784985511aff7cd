"""Dates typed and shown in the page's language (core/dates.py): one reading for every input."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation

from borderlink.core import dates

D = datetime.date


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # Vietnamese and English: day first, as their pages print dates.
        ("vi", "04/12/2026", D(2026, 12, 4)),
        ("vi", "4/12/2026", D(2026, 12, 4)),
        ("vi", "04.12.2026", D(2026, 12, 4)),
        ("vi", "04-12-2026", D(2026, 12, 4)),
        ("vi", " 04/12/2026 ", D(2026, 12, 4)),
        ("vi", "04122026", D(2026, 12, 4)),  # a phone's numeric keypad has no "/"
        ("vi", "29/02/2024", D(2024, 2, 29)),  # a leap year
        ("en", "04/12/2026", D(2026, 12, 4)),
        ("en", "4 Dec 2026", D(2026, 12, 4)),  # the way English pages print it
        ("en", "4 December 2026", D(2026, 12, 4)),
        ("en", "Dec 4, 2026", D(2026, 12, 4)),
        # Chinese: year first.
        ("zh-hans", "2026-12-04", D(2026, 12, 4)),
        ("zh-hans", "2026/12/4", D(2026, 12, 4)),
        ("zh-hans", "20261204", D(2026, 12, 4)),
        ("zh-hans", "2026年12月4日", D(2026, 12, 4)),  # the way Chinese pages print it
        # ISO in every language (files, the API, links), and the files' dd/mm/yyyy.
        ("vi", "2026-12-04", D(2026, 12, 4)),
        ("en", "2026-12-04", D(2026, 12, 4)),
        ("zh-hans", "04/12/2026", D(2026, 12, 4)),
    ],
)
def test_typed_dates_are_read_in_the_language(
    language: str, text: str, expected: datetime.date
) -> None:
    assert dates.parse(text, language) == expected
    with translation.override(language):
        assert dates.parse(text) == expected  # the active language by default


def test_day_and_month_are_never_swapped() -> None:
    # 03/05: 3 May in every language here; nobody's inputs are month first.
    for language in ("vi", "en", "zh-hans"):
        assert dates.parse("03/05/2026", language) == D(2026, 5, 3)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("vi", "05/03/26"),  # two-digit years are refused, not guessed (1926 or 2026?)
        ("en", "5/3/26"),
        ("zh-hans", "26-03-05"),
        ("vi", "0026-03-05"),
        ("vi", "hôm nay"),
        ("vi", "4 Dec 2026"),  # English month names only on English pages
        ("en", "2026年12月4日"),
        ("zh-hans", "04.12.2026"),
        ("vi", "04/12/2026/1"),
        ("vi", "1/2"),
    ],
)
def test_unreadable_dates_are_refused(language: str, text: str) -> None:
    with pytest.raises(dates.DateError) as caught:
        dates.parse(text, language)
    assert caught.value.code == "invalid"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("vi", "29/02/2025"),  # not a leap year: never rolled over to 1 March
        ("en", "31/04/2026"),
        ("zh-hans", "2025-02-29"),
        ("zh-hans", "2026年13月1日"),
        ("vi", "00/12/2026"),
    ],
)
def test_days_not_in_the_calendar_are_refused(language: str, text: str) -> None:
    with pytest.raises(dates.DateError) as caught:
        dates.parse(text, language)
    assert caught.value.code == "nonexistent"


def test_empty_is_none_and_filters_fall_back() -> None:
    assert dates.parse("", "vi") is None
    assert dates.parse("   ", "vi") is None
    assert dates.parse(None, "vi") is None
    with translation.override("vi"):
        assert dates.parse_or("29/02/2025", "default") == "default"
        assert dates.parse_or("", "default") == "default"
        assert dates.parse_or("01/07/2025") == D(2025, 7, 1)


@pytest.mark.parametrize(
    ("language", "shown", "hint"),
    [("vi", "01/07/2025", "dd/mm/yyyy"), ("en", "01/07/2025", "dd/mm/yyyy"),
     ("zh-hans", "2025-07-01", "yyyy-mm-dd")],
)  # fmt: skip
def test_inputs_show_dates_the_language_way(language: str, shown: str, hint: str) -> None:
    day = D(2025, 7, 1)
    assert dates.format_date(day, language) == shown
    assert dates.parse(shown, language) == day  # what is shown reads back
    with translation.override(language):
        html = dates.DateInput().render("on", day)
        assert f'value="{shown}"' in html
        assert f'placeholder="{hint}"' in html
        assert 'inputmode="numeric"' in html
        assert 'type="text"' in html
        # An ISO date from a link or a file is shown the language's way; junk as typed.
        assert f'value="{shown}"' in dates.DateInput().render("on", "2025-07-01")
        assert 'value="31/31/2025"' in dates.DateInput().render("on", "31/31/2025")


class _Form(forms.Form):
    on = dates.DateField()


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("vi", "2025/07/01", "dd/mm/yyyy"),
        ("en", "07/01/25", "dd/mm/yyyy"),
        ("zh-hans", "01.07.2025", "yyyy-mm-dd"),
    ],
)
def test_the_form_field_names_the_expected_format(language: str, typed: str, message: str) -> None:
    with translation.override(language):
        form = _Form({"on": typed})
        assert not form.is_valid()
        assert message in form.errors["on"][0]
        assert f'value="{typed}"' in str(form["on"])  # kept as typed beside its error
        assert _Form({"on": dates.format_date(D(2025, 7, 1))}).is_valid()


def test_the_form_field_says_when_a_day_does_not_exist() -> None:
    with translation.override("en"):
        form = _Form({"on": "29/02/2025"})
        assert not form.is_valid()
        assert "29/02/2025" in form.errors["on"][0]
        assert form.errors.as_data()["on"][0].code == "nonexistent"
