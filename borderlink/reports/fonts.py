"""Fonts for documents and charts, found on this machine without any network.

Reports must show Vietnamese diacritics and Chinese names on any server, including one with no
fonts installed at all, and a PDF viewer or a browser must never substitute a font of its own.
So the fonts come with the project or from Python packages it already installs:

* Liberation Serif 2.1.5 (SIL OFL 1.1, licence beside the files in reports/data/fonts/) is the
  body font of PDFs: metric-compatible with Times New Roman, the font Decree 30 prescribes and
  the DOCX names, so both files set the same lines; version 2 covers Vietnamese;
* DejaVu Sans (for charts) ships inside matplotlib and covers Vietnamese;
* Noto Sans CJK (SIL OFL 1.1) comes from the `cvttf-notosanscjk-regular` wheel. That wheel is
  the Traditional-Chinese face (NotoSansCJKtc); it holds the Simplified forms too, reached
  through the font's own `locl` feature for Simplified Chinese (language ZHS), which
  `simplified_forms` reads so that the PDF writer draws 边, 这 and 门 as mainland readers write
  them. From a system collection (.ttc) the SC face is chosen (`cjk_index`).

When that wheel is missing, a CJK font from the system (WenQuanYi, Noto CJK, Droid Sans Fallback
under /usr/share/fonts) stands in; when there is none, `MissingFont` says what to install.
Lookups touch the file system, so they are cached for the life of the process.
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib

SYSTEM_FONTS = Path("/usr/share/fonts")
SHIPPED = Path(__file__).parent / "data" / "fonts"
# File names of system fonts with Chinese glyphs, best first (searched under SYSTEM_FONTS).
SYSTEM_CJK = (
    "NotoSansCJKsc-Regular.otf",
    "NotoSansCJK-Regular.ttc",
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


def _shipped(name: str) -> Path:
    path = SHIPPED / name
    if not path.is_file():
        raise MissingFont(f"{path} is missing: it ships with BorderLink (reports/data/fonts)")
    return path


@functools.cache
def serif() -> Path:
    """Liberation Serif, regular: the body font of PDF documents (Latin, Vietnamese), with the
    metrics of Times New Roman."""
    return _shipped("LiberationSerif-Regular.ttf")


@functools.cache
def serif_bold() -> Path:
    return _shipped("LiberationSerif-Bold.ttf")


@functools.cache
def serif_italic() -> Path:
    return _shipped("LiberationSerif-Italic.ttf")


@functools.cache
def serif_bold_italic() -> Path:
    return _shipped("LiberationSerif-BoldItalic.ttf")


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


@functools.cache
def cjk_index(path: Path) -> int:
    """The face of a font collection to use: the Simplified-Chinese one ("… SC", "… CJK SC"),
    else the first. A single font is face 0."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    with TTCollection(str(path), lazy=True) as collection:
        for index, face in enumerate(collection.fonts):
            name = str(face["name"].getDebugName(4) or "")
            if name.endswith(" SC") or " SC " in name or "Simplified" in name:
                return index
    return 0


@functools.cache
def simplified_forms(path: Path) -> dict[str, str]:
    """Glyph name -> the Simplified-Chinese form of that glyph, from the font's `locl` lookups
    for language ZHS (script hani); empty for a font without them."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True, fontNumber=cjk_index(path))
    if "GSUB" not in font:
        return {}
    gsub = font["GSUB"].table
    locl = {i for i, f in enumerate(gsub.FeatureList.FeatureRecord) if f.FeatureTag == "locl"}
    forms: dict[str, str] = {}
    for script in gsub.ScriptList.ScriptRecord:
        if script.ScriptTag != "hani":
            continue
        for record in script.Script.LangSysRecord:
            if record.LangSysTag != "ZHS ":
                continue
            for index in record.LangSys.FeatureIndex:
                if index not in locl:
                    continue
                for lookup_index in gsub.FeatureList.FeatureRecord[index].Feature.LookupListIndex:
                    for table in gsub.LookupList.Lookup[lookup_index].SubTable:
                        table = getattr(table, "ExtSubTable", table)
                        forms.update(getattr(table, "mapping", None) or {})
    return forms
