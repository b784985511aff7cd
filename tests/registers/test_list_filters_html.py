"""A list's choice filters written in Python (registers/templatetags/list_filters.py) are,
character for character, what the template's loop wrote: every register's choice filters, none
or one value chosen, in each language, and text that needs escaping."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.utils import translation

from borderlink.registers.query import Filter, filters_for
from borderlink.registers.spec import registers
from borderlink.registers.templatetags.list_filters import choice_options

# The loop registers/list.html had, as it was.
LOOP = Template(
    "{% for value, label in f.choices %}"
    '<option value="{{ value|unlocalize }}" {% if value == f.value %}selected{% endif %}>'
    "{{ label }}</option>{% endfor %}"
)


def both(flt: Filter) -> tuple[str, str]:
    return LOOP.render(Context({"f": flt})), str(choice_options(flt))


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_every_registers_choice_filters_are_the_loops_html(language: str) -> None:
    compared = 0
    with translation.override(language):
        for spec in registers():
            for flt in filters_for(spec, QueryDict()):
                if flt.kind != "choice":
                    continue
                for chosen in ["", *[value for value, _label in flt.choices[:2]]]:
                    flt.value = chosen
                    loop, python = both(flt)
                    assert python == loop, (spec.slug, flt.name, chosen)
                    matched = any(value == chosen for value, _label in flt.choices)
                    assert (" selected>" in python) == matched
                    compared += 1
    assert compared > 20


def test_escaping_as_the_template_did() -> None:
    flt = Filter("x", "X", "choice", [('a"<b>', "Q&A <i>"), ("1000", "1000"), ("", "none")])
    for chosen in ("", 'a"<b>', "1000"):
        flt.value = chosen
        loop, python = both(flt)
        assert python == loop, chosen
    assert "&lt;i&gt;" in python and "&quot;" in python
