"""Indicator names: each said whole in every language, and one name per meaning."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import cast

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from borderlink.stats import indicators


def test_an_unquoted_comma_in_a_name_stops_the_program() -> None:
    # In a YAML flow mapping the comma ends the value: "Xã" and a key "thị trấn biên giới".
    cut = yaml.safe_load("{vi: Xã, thị trấn biên giới, en: Border communes, zh: 边境乡镇}")
    assert cut["vi"] == "Xã"
    communes = indicators.get("units.border_communes")
    with pytest.raises(ImproperlyConfigured, match="'thị trấn biên giới': None"):
        indicators._check(dataclasses.replace(communes, names=cut))
    with pytest.raises(ImproperlyConfigured, match="unit: 'trấn'"):
        # A unit name missing on purpose: what a cut YAML value gives, not what the type allows.
        cut_unit = cast("dict[str, str]", {**communes.unit, "trấn": None})
        indicators._check(dataclasses.replace(communes, unit=cut_unit))


def test_names_with_a_comma_are_read_whole() -> None:
    assert indicators.get("units.border_communes").name("vi") == "Xã, thị trấn biên giới"
    assert (
        indicators.get("coverage.border_communes_paired").name("vi")
        == "Xã, thị trấn biên giới đã kết nghĩa"
    )
    assert indicators.get("count.departments_with_partners").name("vi") == (
        "Sở, ngành có quan hệ hợp tác"
    )


@pytest.mark.parametrize("lang", indicators.LANGS)
def test_no_two_indicators_share_a_name(lang: str) -> None:
    # Two cards labelled "Xã" (34 communes; 34/34 paired) read as one figure said twice.
    names = Counter(ind.name(lang) for ind in indicators.registry().values())
    assert [name for name, n in names.items() if n > 1] == []
