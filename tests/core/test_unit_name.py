"""{% unit_name %} where no name is recorded in the page's language (issue 20): the unit's own
name in its own script with its pinyin, the reason in a tooltip, and no label in the page's
language glued to the foreign name ("天保边境检查站 tên gốc")."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from borderlink.places.models import Unit

pytestmark = pytest.mark.django_db


def _drawn(unit: Unit, lang: str) -> str:
    with translation.override(lang):
        return Template("{% load borderlink %}{% unit_name unit %}").render(Context({"unit": unit}))


def test_a_chinese_name_on_a_vietnamese_page_comes_with_its_pinyin() -> None:
    unit = Unit.objects.filter(country="CN", name_vi="").exclude(name_zh_pinyin="").first()
    assert unit is not None
    html = _drawn(unit, "vi")
    assert f'<span lang="zh-Hans">{unit.name_zh}</span>' in html
    assert f'lang="zh-Latn-pinyin">({unit.name_zh_pinyin})</span>' in html
    with translation.override("vi"):
        label = translation.gettext("native name")
        reason = translation.gettext(
            "No name is recorded in this language; the unit's own name is shown."
        )
    assert label not in html.replace(reason, "")  # no badge after the name
    assert "badge" not in html
    assert f'title="{reason}"' in html.replace("&#x27;", "'")


def test_a_name_recorded_in_the_page_language_is_plain() -> None:
    unit = Unit.objects.get(code="VN-P02")
    assert _drawn(unit, "en") == unit.name_en
    assert _drawn(unit, "vi") == unit.name_vi
