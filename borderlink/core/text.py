"""Text normalisation shared by search and comparison.

Vietnamese names arrive in several Unicode forms and with tone marks placed differently
("Thanh Thuỷ" / "Thanh Thủy"); folding to NFD and dropping combining marks makes them equal,
and equal to what a user types without diacritics.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str) -> str:
    """Lower-case, no diacritics, đ→d, single spaces. Han characters are kept as they are."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def has_latin(text: str) -> bool:
    return bool(_LATIN_LETTER.search(text))


def ascii_slug(text: str) -> str:
    """'Thanh Thủy' → 'THANHTHUY': for building readable codes."""
    return re.sub(r"[^A-Z0-9]", "", fold(text).upper())


def strip_marks(text: str) -> str:
    """'Thanh Thủy' → 'Thanh Thuy', keeping case: for English names of Vietnamese units."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )
