"""Indicator rules registered by stats/rules_*.py, and the engine dispatching through them."""

from __future__ import annotations

import dataclasses

import pytest

from borderlink.places.scope import Scope
from borderlink.stats import indicators, rules
from borderlink.stats.engine import Figure, Window
from borderlink.stats.indicators import Indicator
from borderlink.stats.rules_border import figure as gate_trade_figure


def test_every_rules_module_registers_its_rules() -> None:
    gate_trade = rules.get_rule("gate_trade")
    assert gate_trade is not None and gate_trade.figure is gate_trade_figure
    assert rules.get_rule("electricity") is not None
    assert set(rules.rule_names()) >= {"ledger", "coverage", "gate_trade", "electricity"}


def test_a_rule_cannot_take_an_engine_rule_or_another_rules_name() -> None:
    def other(indicator: Indicator, scope: Scope, window: Window) -> Figure:
        return gate_trade_figure(indicator, scope, window)

    with pytest.raises(ValueError, match="engine's own"):
        rules.register_rule("ledger", gate_trade_figure)
    with pytest.raises(ValueError, match="registered twice"):
        rules.register_rule("gate_trade", other)


def test_a_registered_rule_checks_its_indicators_declaration() -> None:
    turnover = next(i for i in indicators.registry().values() if i.rule == "gate_trade")
    with pytest.raises(Exception, match="ISO 4217 currency"):
        indicators._check(dataclasses.replace(turnover, currency="dollars"))
    with pytest.raises(Exception, match="unknown rule 'tea'"):
        indicators._check(dataclasses.replace(turnover, rule="tea"))
