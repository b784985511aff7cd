"""The declared indicators (indicators.yaml), checked once when first read.

A wrong declaration (an unknown rule, activity kind, measure or unit kind, a missing name) stops
the program at start-up with the indicator named, rather than showing a wrong figure later.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

from borderlink.core.money import ISO_4217
from borderlink.ledger.models import ActivityKind, Channel, Direction
from borderlink.places.choices import UnitKind
from borderlink.stats import rules
from borderlink.ties.models import Agreement, Partnership

FILE = Path(__file__).with_name("indicators.yaml")
LANGS = ("vi", "en", "zh")
MEASURES = ("records", "times", "persons", "value", "quantity")
# The measure of an aggregate return that feeds a ledger measure.
RETURN_MEASURE = {
    "records": "count",
    "times": "count",
    "persons": "persons",
    "value": "value",
    "quantity": "quantity",
}


def lang_key(lang: str | None = None) -> str:
    lang = lang or get_language() or "vi"
    return "zh" if lang.startswith("zh") else lang[:2] if lang[:2] in LANGS else "en"


@dataclass(frozen=True)
class Indicator:
    code: str
    names: dict[str, str]
    unit: dict[str, str]
    rule: str
    kinds: tuple[str, ...] = ()
    measure: str = "times"
    currency: str = ""
    channel: tuple[str, ...] = ()
    diplomacy: tuple[str, ...] = ()
    direction: tuple[str, ...] = ()
    unit_kind: str = ""
    border_only: bool = False
    level: str = ""
    registry: bool = True
    denominator: str = ""
    partnership_kinds: tuple[str, ...] = ()
    returns: tuple[str, ...] = field(default=())

    def name(self, lang: str | None = None) -> str:
        return self.names[lang_key(lang)]

    def unit_label(self, lang: str | None = None, value: object = None) -> str:
        """The unit of measure; for exactly one, the singular where one is declared (English
        `en_one`: "1 political exchange", "2 political exchanges")."""
        key = lang_key(lang)
        if value is not None and value == 1 and f"{key}_one" in self.unit:
            return self.unit[f"{key}_one"]
        return self.unit.get(key, "")

    @property
    def is_ratio(self) -> bool:
        return self.rule == "coverage"

    @property
    def is_stock(self) -> bool:
        """A figure as at a date (units, agreements, coverage), not a sum over a period."""
        return self.rule in ("units", "agreements", "coverage", "declared", "since")

    @property
    def return_kinds(self) -> tuple[str, ...]:
        return self.returns or (self.kinds if self.rule == "ledger" else (self.code,))


def _tuple(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    return tuple(value) if isinstance(value, list | tuple) else (str(value),)


def _check(ind: Indicator) -> None:
    def fail(why: str) -> None:
        raise ImproperlyConfigured(f"{FILE.name}: indicator {ind.code}: {why}")

    # A comma in an unquoted YAML flow mapping ({vi: Xã, thị trấn biên giới, …}) silently cuts
    # the name to "Xã" and adds a key "thị trấn biên giới" with no value: refuse any key that
    # is not a language and any value that is not text, so such a line stops the program.
    for what, mapping, keys in (
        ("names", ind.names, set(LANGS)),
        ("unit", ind.unit, set(LANGS) | {f"{lang}_one" for lang in LANGS}),
    ):
        for key, value in mapping.items():
            if key not in keys or not isinstance(value, str):
                fail(f"{what}: {key!r}: {value!r} is no language's text (quote text with a comma)")
    known = rules.rule_names()
    if ind.rule not in known:
        fail(f"unknown rule {ind.rule!r} (use one of {', '.join(known)})")
    for lang in LANGS:
        if not ind.names.get(lang):
            fail(f"no name in {lang}")
        if lang not in ind.unit:
            fail(f"no unit of measure in {lang}")
    if ind.rule == "ledger":
        if not ind.kinds:
            fail("a ledger indicator needs kinds")
        bad = set(ind.kinds) - set(ActivityKind.values)
        if bad:
            fail(f"unknown activity kinds {sorted(bad)}")
        if ind.measure not in MEASURES:
            fail(f"unknown measure {ind.measure!r}")
        if ind.measure == "value" and ind.currency not in ISO_4217:
            fail("a value indicator needs an ISO 4217 currency")
        for values, allowed in (
            (ind.channel, Channel.values),
            (ind.direction, Direction.values),
        ):
            if set(values) - set(allowed):
                fail(f"unknown filter values {sorted(set(values) - set(allowed))}")
    registered = rules.get_rule(ind.rule)
    if registered is not None and registered.check is not None:
        why = registered.check(ind)
        if why:
            fail(why)
    if ind.rule == "units" and ind.unit_kind not in UnitKind.values:
        fail(f"unknown unit kind {ind.unit_kind!r}")
    if ind.rule == "agreements" and ind.level not in Agreement.Level.values:
        fail(f"unknown agreement level {ind.level!r}")
    if ind.rule == "since" and set(ind.partnership_kinds) - set(Partnership.Kind.values):
        fail("unknown partnership kinds")


@functools.cache
def registry() -> dict[str, Indicator]:
    entries = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    out: dict[str, Indicator] = {}
    for entry in entries:
        ind = Indicator(
            code=entry["code"],
            names=dict(entry["names"]),
            unit=dict(entry.get("unit") or {}),
            rule=entry["rule"],
            kinds=_tuple(entry.get("kinds")),
            measure=entry.get("measure", "times"),
            currency=entry.get("currency", ""),
            channel=_tuple(entry.get("channel")),
            diplomacy=_tuple(entry.get("diplomacy")),
            direction=_tuple(entry.get("direction")),
            unit_kind=entry.get("unit_kind", ""),
            border_only=bool(entry.get("border_only", False)),
            level=entry.get("level", ""),
            registry=bool(entry.get("registry", True)),
            denominator=entry.get("denominator", ""),
            partnership_kinds=_tuple(entry.get("partnership_kinds")),
            returns=_tuple(entry.get("returns")),
        )
        if ind.code in out:
            raise ImproperlyConfigured(f"{FILE.name}: indicator {ind.code} is declared twice")
        _check(ind)
        out[ind.code] = ind
    for ind in out.values():
        if ind.denominator and ind.denominator not in out:
            raise ImproperlyConfigured(
                f"{FILE.name}: indicator {ind.code}: unknown denominator {ind.denominator}"
            )
    return out


def get(code: str) -> Indicator:
    try:
        return registry()[code]
    except KeyError:
        raise KeyError(code) from None
