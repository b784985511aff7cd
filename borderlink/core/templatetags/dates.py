"""`{% date_input %}`: the date box of a GET form (filters, periods) drawn by the same widget as
every form's date field, so a query string's date is shown and typed in the page's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from borderlink.core.dates import DateInput

register = template.Library()


@register.simple_tag
def date_input(name: str, value: Any, **attrs: Any) -> SafeString:
    """`attrs` become the input's attributes; `aria_label` is written `aria-label`."""
    html_attrs = {key.replace("_", "-"): val for key, val in attrs.items()}
    html_attrs.setdefault("class", "form-control")
    return DateInput().render(name, value, html_attrs)
