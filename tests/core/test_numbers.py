"""Numbers in the page's language (core/numbers.py), below every page that writes one."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from borderlink.core.numbers import number


def test_a_number_follows_the_languages_conventions() -> None:
    with translation.override("vi"):
        assert number(Decimal("277.556"), 3) == "277,556"
        assert number(1456) == "1.456"
    with translation.override("en"):
        assert number(Decimal("277.556"), 3) == "277.556"
        assert number(Decimal("1456.50")) == "1,456.5"
        assert number(Decimal("2.345"), 2) == "2.35"  # half up, not to even
