"""Fonts for documents and charts, from installed packages only (no network, no system font
needed): DejaVu Serif ships inside matplotlib and covers Vietnamese; Noto Sans CJK (SIL OFL)
comes from the `cvttf-notosanscjk-regular` wheel. A system CJK font is the fallback."""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib

MPL_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
SYSTEM_CJK = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


@functools.cache
def serif() -> Path:
    return MPL_FONTS / "DejaVuSerif.ttf"


@functools.cache
def serif_bold() -> Path:
    return MPL_FONTS / "DejaVuSerif-Bold.ttf"


@functools.cache
def cjk() -> Path:
    try:
        import cvttf_NotoSansCJK_Regular

        return Path(cvttf_NotoSansCJK_Regular.get_TTF_path())
    except (ImportError, FileNotFoundError):
        for candidate in SYSTEM_CJK:
            if Path(candidate).exists():
                return Path(candidate)
    raise FileNotFoundError(
        "No font for Chinese text: install the Python package cvttf-notosanscjk-regular "
        "(or Debian's fonts-wqy-microhei)"
    )
