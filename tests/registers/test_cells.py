"""A register's values as pages show them (registers/templatetags/cells.py): a record that
belongs to a register links to its page, through `cell` and through registers/_value.html."""

from __future__ import annotations

from django.template.loader import render_to_string

from borderlink.registers.templatetags.cells import cell, record_url
from borderlink.ties.models import Programme


def test_a_record_of_a_register_links_to_its_page() -> None:
    programme = Programme(pk=7, code="p", name_vi="Chương trình")
    assert record_url(programme) == "/r/programmes/7/"
    assert 'href="/r/programmes/7/"' in cell(programme)
    page = render_to_string("registers/_value.html", {"value": programme})
    assert '<a href="/r/programmes/7/">Chương trình</a>' in page


def test_what_is_no_record_of_a_register_has_no_page() -> None:
    assert record_url("text") == ""
    assert record_url(None) == ""
    assert "<a" not in render_to_string("registers/_value.html", {"value": "text"})
