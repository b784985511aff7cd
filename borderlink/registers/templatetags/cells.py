"""What kind of value a register's cell holds, decided once in Python (registers/_value.html).

The template used to try `value.native_name`, `value.url`… on every cell; each failed look-up
on a record costs Django's template engine a `dir()` of it, and a list page has 350 cells.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template

from borderlink.core.templatetags.borderlink import record_url

register = template.Library()


@register.filter
def cell_kind(value: Any) -> str:
    if value is None or value == "":
        return "empty"
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, str | int | float):
        return "text"
    if getattr(value, "native_name", None):
        return "unit"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, datetime.date):
        return "date"
    try:
        if getattr(value, "url", None) and getattr(value, "name", None):
            return "file"
    except ValueError:  # a file field without a file
        pass
    return "record" if record_url(value) else "text"
