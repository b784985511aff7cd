"""Lengths and ratios in the active language's number conventions (277,556 km / 277.556 km)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from borderlink.core.numbers import number

register = template.Library()


@register.filter
def km(value: Any) -> str:
    if value is None:
        return ""
    return _("%(number)s km") % {"number": number(Decimal(str(value)), 3)}


@register.filter
def percent(value: Any) -> str:
    if value is None:
        return ""
    return f"{number(Decimal(str(value)) * 100, 1)} %"


@register.filter
def money_amount(value: Any) -> str:
    """An amount in the active language's conventions, to two decimals at most."""
    if value is None:
        return ""
    amount = Decimal(str(value))
    return number(amount, 2 if amount != amount.to_integral_value() else None)


@register.filter
def add_amounts(value: Any, other: Any) -> Decimal:
    return Decimal(str(value or 0)) + Decimal(str(other or 0))
