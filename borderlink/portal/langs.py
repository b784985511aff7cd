"""The languages of the public site, as they appear in its addresses (/public/vi/, /public/en/,
/public/zh-hans/), and the language key the articles and the statistics use for each."""

from __future__ import annotations

LANGS = ("vi", "en", "zh-hans")
ARTICLE_LANG = {"vi": "vi", "en": "en", "zh-hans": "zh"}
URL_LANG = {v: k for k, v in ARTICLE_LANG.items()}
# BCP 47 tags for lang= and hreflang= attributes.
HREFLANG = {"vi": "vi", "en": "en", "zh-hans": "zh-Hans"}
# Each language named in itself: what a reader looks for in a language menu.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "zh-hans": "中文"}


class LangConverter:
    regex = "vi|en|zh-hans"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
