"""The text of an article: plain text an editor can write, with references the portal fills.

    ## A heading                          a line of its own starting with "## "
    A paragraph, {fig:station.letters@VN-02-BGS-THANHTHUY} and {name:CN-530000}.
    {table:station.letters@VN-02-BGS-THANHTHUY station.talks@VN-02-BGS-THANHTHUY|Caption}
    {chart:exchanges.all|Title}

Paragraphs are separated by a blank line. In a paragraph:

  {fig:CODE}             a figure of the indicator for the article's unit and period
  {fig:CODE@UNIT}        the same for another unit
  {money:CODE:USD}       the figure converted with the dated exchange rate (the rate is stated)
  {name:UNIT}            a unit's name from the gazetteer, in the article's language

A table or a chart is a paragraph of its own. Figures are live in a draft and frozen when the
version is published. The syntax is the report templates' (reports/data/*.yaml), so a template's
sentences become an article's text unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

INLINE = re.compile(r"\{(fig|money|name):([^{}\s]+)\}")
ANY_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([^{}]*))?\}")
BLOCK = re.compile(r"^\{(table|chart):([^{}|]+)(?:\|([^{}]*))?\}$")


@dataclass(frozen=True)
class FigureRef:
    """A reference to a figure: `fig:CODE@UNIT` or `money:CODE:CUR` (unit "" = the article's)."""

    kind: str  # "fig" or "money"
    code: str
    unit: str = ""
    quote: str = ""  # the currency a money figure is converted to

    @property
    def token(self) -> str:
        where = f"@{self.unit}" if self.unit else ""
        if self.kind == "money":
            return f"money:{self.code}{where}:{self.quote}"
        return f"fig:{self.code}{where}"

    @classmethod
    def parse(cls, kind: str, arg: str) -> FigureRef:
        if kind == "money":
            code, _sep, quote = arg.partition(":")
            code, _at, unit = code.partition("@")
            return cls("money", code, unit, quote)
        code, _at, unit = arg.partition("@")
        return cls("fig", code, unit)


@dataclass
class Heading:
    text: str


@dataclass
class Paragraph:
    text: str  # with its {fig:…}, {money:…}, {name:…} references


@dataclass
class Table:
    figures: list[FigureRef]
    caption: str = ""

    @property
    def token(self) -> str:
        return "table:" + " ".join(f.token for f in self.figures)


@dataclass
class Chart:
    codes: list[str]
    title: str = ""

    @property
    def token(self) -> str:
        return "chart:" + " ".join(self.codes)


Block = Heading | Paragraph | Table | Chart


@dataclass
class Parsed:
    blocks: list[Block] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def figure_refs(self) -> list[FigureRef]:
        """Every figure the text refers to, once each, in order of appearance."""
        seen: dict[str, FigureRef] = {}
        for block in self.blocks:
            if isinstance(block, Paragraph):
                for m in INLINE.finditer(block.text):
                    if m.group(1) != "name":
                        ref = FigureRef.parse(m.group(1), m.group(2))
                        seen.setdefault(ref.token, ref)
            elif isinstance(block, Table):
                for ref in block.figures:
                    seen.setdefault(ref.token, ref)
        return list(seen.values())

    def unit_codes(self) -> set[str]:
        codes = set()
        for block in self.blocks:
            if isinstance(block, Paragraph):
                for m in INLINE.finditer(block.text):
                    if m.group(1) == "name":
                        codes.add(m.group(2))
        for ref in self.figure_refs():
            if ref.unit:
                codes.add(ref.unit)
        return codes

    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]


def _chunks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [c.strip() for c in re.split(r"\n\s*\n", text) if c.strip()]


def parse(text: str) -> Parsed:
    out = Parsed()
    for chunk in _chunks(text):
        if chunk.startswith("## "):
            heading, _nl, rest = chunk.partition("\n")
            out.blocks.append(Heading(heading[3:].strip()))
            if rest.strip():
                chunk = rest.strip()
            else:
                continue
        match = BLOCK.match(chunk)
        if match:
            kind, items, caption = match.group(1), match.group(2).split(), match.group(3) or ""
            if kind == "table":
                out.blocks.append(Table([FigureRef.parse("fig", i) for i in items], caption))
            else:
                out.blocks.append(Chart(items, caption))
            continue
        text = " ".join(line.strip() for line in chunk.splitlines())
        for m in ANY_PLACEHOLDER.finditer(text):
            if not INLINE.fullmatch(m.group(0)):
                out.errors.append(
                    _(
                        "“%(placeholder)s” is not a reference the portal knows; use {fig:CODE}, "
                        "{fig:CODE@UNIT}, {money:CODE:USD} or {name:UNIT}."
                    )
                    % {"placeholder": m.group(0)}
                )
        out.blocks.append(Paragraph(text))
    return out


def names_only(text: str) -> list[str]:
    """Errors for a text that may hold {name:UNIT} references and nothing else (a lead)."""
    errors = []
    for m in ANY_PLACEHOLDER.finditer(text):
        if not (m.group(1) == "name" and INLINE.fullmatch(m.group(0))):
            errors.append(
                _("“%(placeholder)s”: only {name:UNIT} references may appear here.")
                % {"placeholder": m.group(0)}
            )
    return errors


def to_text(blocks: list[Block]) -> str:
    """Blocks back to the editable text."""
    parts = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"## {block.text}")
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            caption = f"|{block.caption}" if block.caption else ""
            parts.append("{table:" + " ".join(f.token[4:] for f in block.figures) + caption + "}")
        else:
            title = f"|{block.title}" if block.title else ""
            parts.append("{chart:" + " ".join(block.codes) + title + "}")
    return "\n\n".join(parts) + "\n"
