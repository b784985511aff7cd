"""Attributes that make a code box a picker, for boxes drawn by templates: a list's link filter
(`{% picker_filter_attrs spec name %}`) or a page's unit box (`{% picker_unit_attrs %}`)."""

from __future__ import annotations

from django import template
from django.forms.utils import flatatt
from django.utils.safestring import SafeString

from borderlink.registers import pickers
from borderlink.registers.spec import Register

register = template.Library()


@register.simple_tag
def picker_filter_attrs(spec: Register, name: str) -> SafeString:
    return flatatt(pickers.filter_attrs(spec, name))


@register.simple_tag
def picker_unit_attrs(on: str = "") -> SafeString:
    return flatatt(pickers.unit_attrs(on))
