"""Personal data in registers: which records a user may see unmasked, masking, the audit.

A register declares `personal=PersonalData([...fields], action)`; the fields are unmasked only
where the gate grants the user `action` on the record (core/roles.py), on every page, export
and API answer; elsewhere they read MASK. Records of registers without it are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from borderlink.core.permissions import can_at_all, can_under, restrict, scope
from borderlink.registers.spec import Register

MASK = "•••"


def revealed(spec: Register, user: Any, pks: Iterable[Any]) -> set[Any]:
    """The pks (of those given) whose personal fields the user may see."""
    wanted = list(pks)
    if spec.personal is None:
        return set(wanted)
    everywhere, paths = scope(user, spec.model, spec.personal.action)
    if everywhere:
        return set(wanted)
    if not paths or not wanted:
        return set()
    allowed = restrict(
        spec.model._default_manager.filter(pk__in=wanted), user, spec.personal.action
    )
    return set(allowed.values_list("pk", flat=True))


def is_personal(spec: Register, name: str) -> bool:
    return spec.personal is not None and name in spec.personal.fields


def mask(spec: Register, name: str, value: Any, shown: bool) -> Any:
    if shown or not is_personal(spec, name) or value in (None, ""):
        return value
    return MASK


def may_enter(spec: Register, user: Any, unit: Any = None) -> bool:
    """May the user type personal data into a new record (under `unit`, once it is known)?"""
    if spec.personal is None:
        return True
    if unit is None:
        return can_at_all(user, spec.model, spec.personal.action)
    return can_under(user, spec.model, spec.personal.action, unit.path)


def audit(spec: Register, user: Any, pks: list[Any], how: str, shown: set[Any]) -> None:
    if spec.personal is not None and spec.personal.audit is not None and pks:
        spec.personal.audit(user, pks, how, shown)
