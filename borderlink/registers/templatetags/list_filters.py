"""A list's filter bar, the parts its template wrote option by option, built in Python.

A choice filter's `<option>`s (29 on the activities' list) cost the template engine a loop, a
comparison and two look-ups each; here the same characters (tests/registers/
test_list_filters_html.py holds them to the loop they replace) at a fraction of the cost.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from borderlink.registers.query import Filter

register = template.Library()


@register.simple_tag
def choice_options(flt: Filter) -> SafeString:
    """What `{% for value, label in f.choices %}<option …>{% endfor %}` wrote: the chosen
    value `selected`. Values are text (query.filters_for), so `unlocalize` left them as they
    were."""
    return mark_safe(
        "".join(
            f'<option value="{conditional_escape(value)}" '
            f"{'selected' if value == flt.value else ''}>{conditional_escape(label)}</option>"
            for value, label in flt.choices
        )
    )
