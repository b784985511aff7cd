from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

_HTML_LANG = {"vi": "vi", "en": "en", "zh": "zh-Hans"}


@register.simple_tag
def unit_name(unit: Any) -> SafeString:
    """The unit's name in the page's language, or its native name marked as such."""
    if unit is None:
        return format_html("")
    name, native = unit.display_name(get_language() or "vi")
    if not native:
        return format_html("{}", name)
    return format_html(
        '<span lang="{}">{}</span> <span class="badge text-bg-light border" title="{}">{}</span>',
        _HTML_LANG.get(unit.native_language, "vi"),
        name,
        _("No name is recorded in this language; the unit's own name is shown."),
        _("native name"),
    )


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def is_list(value: Any) -> bool:
    return isinstance(value, list | tuple)


@register.filter
def is_date(value: Any) -> bool:
    import datetime

    return isinstance(value, datetime.date)


@register.filter
def record_url(value: Any) -> str:
    """The page of a record that belongs to a register, or ''."""
    from django.db import models
    from django.urls import reverse

    if not isinstance(value, models.Model):
        return ""
    from borderlink.registers.spec import register_for

    spec = register_for(type(value))
    return reverse("registers:detail", args=[spec.slug, value.pk]) if spec else ""
