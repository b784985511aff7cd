"""Fonts for documents and charts, found on this machine without any network.

Reports must show Vietnamese diacritics and Chinese names on any server, including one with no
fonts installed at all, and a PDF viewer or a browser must never substitute a font of its own.
So the fonts come from Python packages the project already installs:

* DejaVu Serif (and DejaVu Sans for charts) ships inside matplotlib and covers Vietnamese;
* Noto Sans CJK (SIL OFL 1.1) comes from the `cvttf-notosanscjk-regular` wheel.

When that wheel is missing, a CJK font from the system (WenQuanYi, Noto CJK, Droid Sans Fallback
under /usr/share/fonts) stands in; when there is none, `MissingFont` says what to install.
Lookups touch the file system, so they are cached for the life of the process.
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib

SYSTEM_FONTS = Path("/usr/share/fonts")
# File names of system fonts with Chinese glyphs, best first (searched under SYSTEM_FONTS).
SYSTEM_CJK = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansCJKtc-Regular.otf",
    "NotoSerifCJK-Regular.ttc",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
)
CJK_PACKAGE = "cvttf-notosanscjk-regular"


class MissingFont(FileNotFoundError):
    """No usable font file; the message names the package to install."""


def _matplotlib_font(name: str) -> Path:
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
    if not path.is_file():
        raise MissingFont(f"{path} is missing: reinstall matplotlib (it ships the DejaVu fonts)")
    return path


@functools.cache
def serif() -> Path:
    """DejaVu Serif, regular: the body font of PDF documents (Latin, Vietnamese)."""
    return _matplotlib_font("DejaVuSerif.ttf")


@functools.cache
def serif_bold() -> Path:
    return _matplotlib_font("DejaVuSerif-Bold.ttf")


@functools.cache
def serif_italic() -> Path:
    return _matplotlib_font("DejaVuSerif-Italic.ttf")


@functools.cache
def serif_bold_italic() -> Path:
    return _matplotlib_font("DejaVuSerif-BoldItalic.ttf")


@functools.cache
def sans() -> Path:
    """DejaVu Sans, matplotlib's own default: the Latin and Vietnamese font of charts."""
    return _matplotlib_font("DejaVuSans.ttf")


@functools.cache
def cjk() -> Path:
    """A font with Chinese glyphs: Noto Sans CJK from its wheel, else a system font.

    A .ttc collection is used at index 0 (every listed collection has Chinese glyphs there).
    """
    try:
        import cvttf_NotoSansCJK_Regular

        path = Path(cvttf_NotoSansCJK_Regular.get_TTF_path())
        if path.is_file():
            return path
    except (ImportError, FileNotFoundError, OSError):
        pass
    if SYSTEM_FONTS.is_dir():
        found = {p.name: p for p in SYSTEM_FONTS.rglob("*") if p.name in SYSTEM_CJK}
        for name in SYSTEM_CJK:
            if name in found:
                return found[name]
    raise MissingFont(
        "No font for Chinese text: install the Python package "
        f"{CJK_PACKAGE} (pip install {CJK_PACKAGE}), or a system CJK font such as Debian's "
        "fonts-noto-cjk or fonts-wqy-microhei"
    )
