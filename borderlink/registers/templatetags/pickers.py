"""`{% picker_filter_attrs spec name %}`: the attributes that make a list's link filter a picker."""

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
