"""The one permission gate. Every list, detail, edit, export and API call goes through it.

restrict(queryset, user, action) narrows a queryset to the records the user may act on:
everything (a SCOPE_ALL grant, or a superuser), the records whose unit path lies in the reach of
one of the user's memberships (SCOPE_OWN: the membership unit's subtree, and through the reform
the units that hold it today with what rolled into them, accounts/reach.py), or nothing. A model
says where its unit path is with `scope_path_lookup` (e.g. "path" for Unit, "unit__path" for a
record with a `unit`), and where its sensitivity is with `sensitivity_lookup` when it takes it
from a parent record (a delegation's members are as secret as the delegation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from borderlink.accounts.roles import ROLE_CLEARANCE, SCOPE_ALL, grant

if TYPE_CHECKING:
    from borderlink.accounts.reach import Reach

AnyUser = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=models.Model)


def _memberships(user: Any) -> list[tuple[str, Reach]]:
    """The user's (role, reach) pairs as of today, computed once per user object (a request)."""
    cached = getattr(user, "_borderlink_memberships", None)
    if cached is None:
        from borderlink.accounts.reach import reach_of

        today = timezone.localdate()
        cached = [
            (m.role, reach_of(m, today))
            for m in user.memberships.select_related("unit").prefetch_related("acts_on")
        ]
        user._borderlink_memberships = cached
    return cached


def scope(user: AnyUser, model: type[models.Model], action: str) -> tuple[bool, list[Reach]]:
    """(True, []) when the user may act on every record; else the reaches they may act in."""
    if not user.is_authenticated or not user.is_active:
        return False, []
    if getattr(user, "is_superuser", False):
        return True, []
    label = model._meta.label_lower
    reaches: list[Reach] = []
    for role, reach in _memberships(user):
        granted = grant(role, label, action)
        if granted == SCOPE_ALL:
            return True, []
        if granted is not None:
            reaches.append(reach)
    return False, reaches


def clearance(user: AnyUser) -> int:
    """The highest sensitivity level the user may see."""
    if getattr(user, "is_superuser", False):
        return max(ROLE_CLEARANCE.values())
    if not user.is_authenticated:
        return 0
    return max((ROLE_CLEARANCE.get(role, 0) for role, _path in _memberships(user)), default=0)


def sensitivity_lookup(model: type[models.Model]) -> str | None:
    """Where a record's sensitivity is: its own field, or its parent's (`sensitivity_lookup`)."""
    declared = getattr(model, "sensitivity_lookup", None)
    if declared:
        return str(declared)
    if any(f.name == "sensitivity" for f in model._meta.concrete_fields):
        return "sensitivity"
    return None


def restrict(queryset: QuerySet[M], user: AnyUser, action: str) -> QuerySet[M]:
    level = sensitivity_lookup(queryset.model)
    if level is not None:
        queryset = queryset.filter(**{f"{level}__lte": clearance(user)})
    everywhere, reaches = scope(user, queryset.model, action)
    if everywhere:
        return queryset
    lookup = getattr(queryset.model, "scope_path_lookup", None)
    if not reaches or lookup is None:
        return queryset.none()
    condition = Q()
    for reach in reaches:
        condition |= reach.q(lookup)
    return queryset.filter(condition)


def can(user: AnyUser, action: str, obj: models.Model) -> bool:
    model = type(obj)
    return restrict(model._default_manager.filter(pk=obj.pk), user, action).exists()


def can_under(user: AnyUser, model: type[models.Model], action: str, unit_path: str) -> bool:
    """May the user `action` a `model` record that would sit under the unit at `unit_path`?"""
    everywhere, reaches = scope(user, model, action)
    return everywhere or any(reach.contains(unit_path) for reach in reaches)


def can_at_all(user: AnyUser, model: type[models.Model], action: str) -> bool:
    everywhere, reaches = scope(user, model, action)
    return everywhere or bool(reaches)
