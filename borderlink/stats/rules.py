"""Indicator rules beyond the engine's own: each registers here, the engine dispatches by name.

The engine itself knows the ledger rule and the stock rules (`ENGINE_RULES`). A figure that
needs another app's records (gate statistics, electricity flows) is a rule function in a
`stats/rules_<app>.py` module that calls `register_rule` when imported; `discover()` imports
every such module once the apps are ready (StatsConfig.ready), the way registers/ discovers each
app's `registers.py`.

The rule modules live in stats/, not in their apps: they build `Figure`s from the engine, and
stats sits above the domain apps, so an app that registered its own rules would import upward.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from borderlink.places.scope import Scope
    from borderlink.stats.engine import Figure, Window
    from borderlink.stats.indicators import Indicator

# Rules evaluated inside engine.py: they share the ledger sums and the stock of returns.
ENGINE_RULES = ("ledger", "units", "agreements", "coverage", "declared", "since")
MODULE_PREFIX = "rules_"

FigureFunction = Callable[["Indicator", "Scope", "Window"], "Figure"]
# Returns what is wrong with an indicator's declaration under this rule, or "" when nothing is.
CheckFunction = Callable[["Indicator"], str]


@dataclass(frozen=True)
class Rule:
    name: str
    figure: FigureFunction
    check: CheckFunction | None = None


_rules: dict[str, Rule] = {}


def register_rule(name: str, figure: FigureFunction, check: CheckFunction | None = None) -> None:
    """Make `figure(indicator, scope, window)` the evaluation of indicators whose rule is `name`;
    `check(indicator)` runs when indicators.yaml is read."""
    if name in ENGINE_RULES:
        raise ValueError(f"indicator rule {name!r} is the engine's own")
    known = _rules.get(name)
    # Importing a module twice (reload, tests) registers the same function again: harmless.
    if known is not None and _name(known.figure) != _name(figure):
        raise ValueError(f"indicator rule {name!r} is registered twice")
    _rules[name] = Rule(name, figure, check)


def get_rule(name: str) -> Rule | None:
    return _rules.get(name)


def rule_names() -> tuple[str, ...]:
    """Every rule an indicator may declare: the engine's, then the registered ones."""
    return ENGINE_RULES + tuple(sorted(_rules))


def discover() -> None:
    """Import every `borderlink.stats.rules_*` module, so that each registers its rules."""
    package = importlib.import_module("borderlink.stats")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith(MODULE_PREFIX):
            importlib.import_module(f"{package.__name__}.{info.name}")


def _name(function: FigureFunction) -> str:
    return f"{function.__module__}.{function.__qualname__}"
