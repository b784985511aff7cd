"""The one permission gate. Every list, detail, edit, export and API call goes through it.

restrict(queryset, user, action) narrows a queryset to the records the user may act on:
everything (a SCOPE_ALL grant, or a superuser), the records whose unit path lies under one of
the user's membership units (SCOPE_OWN), or nothing. A model says where its unit path is with
`scope_path_lookup` (e.g. "path" for Unit, "unit__path" for a record with a `unit`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q

from borderlink.accounts.roles import ROLE_CLEARANCE, SCOPE_ALL, grant

AnyUser = AbstractBaseUser | AnonymousUser


def _memberships(user: Any) -> list[tuple[str, str]]:
    cached = getattr(user, "_borderlink_memberships", None)
    if cached is None:
        cached = [(m.role, m.unit.path) for m in user.memberships.select_related("unit").all()]
        user._borderlink_memberships = cached
    return cached


def scope(user: AnyUser, model: type[models.Model], action: str) -> tuple[bool, list[str]]:
    """(True, []) when the user may act on every record; else the unit paths they may act under."""
    if not user.is_authenticated or not user.is_active:
        return False, []
    if getattr(user, "is_superuser", False):
        return True, []
    label = model._meta.label_lower
    paths: list[str] = []
    for role, path in _memberships(user):
        reach = grant(role, label, action)
        if reach == SCOPE_ALL:
            return True, []
        if reach is not None:
            paths.append(path)
    return False, paths


def clearance(user: AnyUser) -> int:
    """The highest sensitivity level the user may see."""
    if getattr(user, "is_superuser", False):
        return max(ROLE_CLEARANCE.values())
    if not user.is_authenticated:
        return 0
    return max((ROLE_CLEARANCE.get(role, 0) for role, _path in _memberships(user)), default=0)


def restrict(queryset: models.QuerySet, user: AnyUser, action: str) -> Any:
    if any(f.name == "sensitivity" for f in queryset.model._meta.concrete_fields):
        queryset = queryset.filter(sensitivity__lte=clearance(user))
    everywhere, paths = scope(user, queryset.model, action)
    if everywhere:
        return queryset
    lookup = getattr(queryset.model, "scope_path_lookup", None)
    if not paths or lookup is None:
        return queryset.none()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{lookup}__startswith": path})
    return queryset.filter(condition)


def can(user: AnyUser, action: str, obj: models.Model) -> bool:
    model = type(obj)
    return restrict(model._default_manager.filter(pk=obj.pk), user, action).exists()


def can_under(user: AnyUser, model: type[models.Model], action: str, unit_path: str) -> bool:
    """May the user `action` a `model` record that would sit under the unit at `unit_path`?"""
    everywhere, paths = scope(user, model, action)
    return everywhere or any(unit_path.startswith(p) for p in paths)


def can_at_all(user: AnyUser, model: type[models.Model], action: str) -> bool:
    everywhere, paths = scope(user, model, action)
    return everywhere or bool(paths)
