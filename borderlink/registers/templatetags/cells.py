"""What kind of value a register's cell holds, decided once in Python (registers/_value.html).

The template used to try `value.native_name`, `value.url`… on every cell; each failed look-up
on a record costs Django's template engine a `dir()` of it, and a list page has 350 cells.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

from django import template
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from borderlink.core.templatetags.borderlink import unit_name
from borderlink.registers.spec import register_for

register = template.Library()


@register.filter
def record_url(value: Any) -> str:
    """The page of a record that belongs to a register, or ''."""
    if not isinstance(value, models.Model):
        return ""
    spec = register_for(type(value))
    return reverse("registers:detail", args=[spec.slug, value.pk]) if spec else ""


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


@lru_cache(maxsize=8192)
def _unit_url(prefix: str, urlconf: Any, code: str) -> str:
    """A unit's page address, reversed once per code (a list page names 100 units; the prefix
    and URLconf in the key keep it what `reverse` answers for the request)."""
    return reverse("places:detail", args=[code])


@register.simple_tag
def cell(value: Any) -> SafeString:
    """A register's value as a page shows it: the HTML registers/_value.html writes, built in
    Python (a list page's 350 cells each rendered through an included template were the page's
    largest cost)."""
    kind = cell_kind(value)
    if kind == "empty":
        return mark_safe("—")
    if kind == "unit":
        url = _unit_url(get_script_prefix(), get_urlconf(), value.code)
        return format_html('<a href="{}">{}</a>', url, unit_name(value))
    if kind == "list":
        return mark_safe("; ".join(cell(item) for item in value) if value else "—")
    if kind == "date":
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)  # as the template's |date shows it
        return conditional_escape(date_format(value, "SHORT_DATE_FORMAT"))
    if kind in ("yes", "no"):
        return conditional_escape(gettext(kind))
    if kind == "file":
        return format_html(
            '<a href="{}" download>{}</a>', value.url, value.original_name or value.name
        )
    if kind == "record":
        return format_html('<a href="{}">{}</a>', record_url(value), localize(value))
    return conditional_escape(localize(value))
