"""Numbers in the active language's conventions (the format modules in borderlink/formats):
1.456 and 277,556 in Vietnamese, 1,456 and 277.556 in English and Chinese.

Below every page that shows a figure: the statistics (stats/display.py), the border pages'
lengths and amounts, the portal and the reports all write numbers through `number`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def number(value: Decimal | int | float, places: int | None = None) -> str:
    """A number in the active language's conventions, without trailing zeros."""
    value = Decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    elif value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    return number_format(value, use_l10n=True, force_grouping=True)
