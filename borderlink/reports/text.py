"""Finishing a report's sentences the way each language is typeset.

* A sentence starts with a capital, whatever placeholder it starts with ("Tỉnh Hà Giang có…"),
  while names inside it keep the case the sentence needs ("của tỉnh Hà Giang", facts.in_sentence).
* Chinese sets numbers and Latin words against the characters around them with no space:
  "7个县和34个乡镇", "超过2,000人", "420亿越南盾". The statistics display joins a number and its
  unit with a space, as Vietnamese and English do; `tidy` takes those spaces out in Chinese, and
  only between a Chinese character (or full-width punctuation) and a number or Latin letter, so
  a space between two Latin words ("Thanh Thủy") stays.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# CJK ideographs, CJK punctuation and full-width forms.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])[ \u00a0]+(?=[0-9A-Za-zÀ-ỹ(（{_CJK}])")
_BEFORE_CJK = re.compile(rf"(?<=[0-9A-Za-zÀ-ỹ%)）])[ \u00a0]+(?=[{_CJK}])")


def tidy(text: str, lang: str) -> str:
    if lang != "zh":
        return text
    return _BEFORE_CJK.sub("", _AFTER_CJK.sub("", text))


def capitalise(text: str) -> str:
    """The first letter in upper case, the rest as written."""
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1 :]
        if not (char.isspace() or char in "“\"'(‘«"):
            return text
    return text


def cited_source(title: str, publisher: str, kind: str, as_of: str, reference: str) -> str:
    """One entry of the list of sources, in the active language: "Báo Hà Giang, «title»
    (Bài báo; số liệu đến 30/06/2021)". The title stays as the source printed it."""
    parts = [publisher.strip()] if publisher.strip() else []
    parts.append(f"“{title.strip()}”")
    if reference:
        parts.append(reference)
    about = [kind] if kind else []
    if as_of:
        about.append(f"{_('as of')} {as_of}")
    text = ", ".join(parts)
    return f"{text} ({'; '.join(about)})" if about else text
