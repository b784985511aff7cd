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
    """The unit's name in the page's language; when none is recorded, its own name (never a
    guessed translation) in its own script, with the pinyin beside a Chinese name so that a
    Vietnamese or English reader can read it, and the reason in a tooltip. No label in the page's
    language is glued to the foreign name ("天保边境检查站 tên gốc" read as part of the name)."""
    if unit is None:
        return format_html("")
    name, native = unit.display_name(get_language() or "vi")
    if not native:
        return format_html("{}", name)
    reason = _("No name is recorded in this language; the unit's own name is shown.")
    pinyin = unit.name_zh_pinyin if unit.native_language == "zh" else ""
    if pinyin and pinyin != name:
        return format_html(
            '<span class="bl-native" title="{}"><span lang="{}">{}</span> '
            '<span class="bl-muted" lang="zh-Latn-pinyin">({})</span></span>',
            reason,
            _HTML_LANG.get(unit.native_language, "vi"),
            name,
            pinyin,
        )
    return format_html(
        '<span class="bl-native" title="{}" lang="{}">{}</span>',
        reason,
        _HTML_LANG.get(unit.native_language, "vi"),
        name,
    )


@register.simple_tag(takes_context=True)
def history_lines(context: template.Context, changes: Any) -> list[Any]:
    """The changes of a page with each field by its label and each value in words
    (core/history_labels.py), linked records named as the reader may see them."""
    from borderlink.core.history_labels import describe

    request = context.get("request")
    return describe(changes, getattr(request, "user", None))


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
