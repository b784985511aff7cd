"""Personal data in registers: which records a user may see unmasked, masking, the audit.

A register declares `personal=PersonalData([...fields], action, audit=recorder(Model))`; the
fields are unmasked only where the gate grants the user `action` on the record (core/roles.py),
on every page, export and API answer; elsewhere they read MASK. Records of registers without it
are never touched. `recorder` writes every showing to the log (core.models.PersonalDataView),
for the people registers and the delegations' members alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from borderlink.core.models import PersonalDataView
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


def recorder(model: type[models.Model]) -> Callable[[Any, list[Any], str, set[Any]], None]:
    """The audit hook of a register of `model` (PersonalData.audit): one log row per record
    shown, with who, how, whether identities were shown and the record's unit path."""

    def record(user: Any, pks: list[Any], how: str, shown: set[Any]) -> None:
        lookup = getattr(model, "scope_path_lookup", "")
        paths = dict(model._default_manager.filter(pk__in=pks).values_list("pk", lookup))
        content_type = ContentType.objects.get_for_model(model)
        PersonalDataView.objects.bulk_create(
            PersonalDataView(
                user=user if getattr(user, "is_authenticated", False) else None,
                username=getattr(user, "username", "") or "",
                content_type=content_type,
                object_id=str(pk),
                how=how,
                revealed=pk in shown,
                scope_path=paths.get(pk) or "",
            )
            for pk in pks
        )

    return record


def views_of(obj: models.Model) -> models.QuerySet[PersonalDataView]:
    """The logged showings of one record, with who looked."""
    return PersonalDataView.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("user")
