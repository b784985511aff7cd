"""Template tags of the public pages: names from the gazetteer with their language marked."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from borderlink.core.numbers import number

register = template.Library()

HTML_LANG = {"vi": "vi", "en": "en", "zh": "zh-Hans"}


def lang_key(lang: str | None) -> str:
    lang = lang or "vi"
    return "zh" if lang.startswith("zh") else lang[:2]


def public_name(unit: Any, lang: str | None = None) -> SafeString:
    """A unit's name in the page's language. Chinese units keep their characters beside a Latin
    name, marked as Chinese; a name missing in the language shows the native one, marked so."""
    if unit is None:
        return format_html("")
    lang = lang_key(lang or get_language())
    name, native = unit.display_name(lang)
    if native:
        return format_html(
            '<span lang="{}">{}</span> <small class="portal-muted">({})</small>',
            HTML_LANG.get(unit.native_language, "vi"),
            name,
            _("native name"),
        )
    if lang != "zh" and unit.country == "CN" and unit.name_zh and unit.name_zh not in name:
        return format_html('{} (<span lang="zh-Hans">{}</span>)', name, unit.name_zh)
    return format_html("{}", name)


@register.simple_tag
def pname(unit: Any) -> SafeString:
    return public_name(unit)


@register.filter
def num(value: Any) -> str:
    if value is None or value == "":
        return ""
    return number(value)


@register.filter
def in_lang(record: Any, field: str) -> str:
    """A record's `field_vi` / `field_en` / `field_zh` in the page's language, else Vietnamese."""
    lang = lang_key(get_language())
    return getattr(record, f"{field}_{lang}", "") or getattr(record, f"{field}_vi", "")
