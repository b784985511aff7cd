"""The border map's line layer names its length in the page's number format (issue 20)."""

from __future__ import annotations

import re

from django.utils import translation

from borderlink.border import layers


def test_the_line_label_is_localised() -> None:
    labels = {}
    for lang in ("vi", "en", "zh-hans"):
        with translation.override(lang):
            labels[lang] = layers.line_layer()["features"][0]["properties"]["name"]
    assert re.search(r"\d\.\d{3},\d km$", labels["vi"]), labels["vi"]  # 1.050,5 km
    assert re.search(r"\d,\d{3}\.\d km$", labels["en"]), labels["en"]  # 1,050.5 km
    assert re.search(r"\d,\d{3}\.\d km$", labels["zh-hans"]), labels["zh-hans"]
