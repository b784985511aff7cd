"""The one permission gate. Every list, detail, edit, export and API call goes through it.

restrict(queryset, user, action) narrows a queryset to the records the user may act on:
everything (a SCOPE_ALL grant, or a superuser), the records whose unit path lies in the reach of
one of the user's memberships (SCOPE_OWN: the membership unit's subtree, and through the reform
the units that hold it today with what rolled into them, accounts/reach.py), or nothing. The
grants are core/roles.py's table; the memberships and their reaches the user gives
(`reaches_on`, accounts.models.User), so the gate imports nothing above core. A model
says where its unit path is with `scope_path_lookup` (e.g. "path" for Unit, "unit__path" for a
record with a `unit`), and where its sensitivity is with `sensitivity_lookup` when it takes it
from a parent record (a delegation's members are as secret as the delegation).
"""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any, Protocol, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from borderlink.core import lookups  # registers `__one_of`; its Ids
from borderlink.core.reach import Reach, units_in
from borderlink.core.roles import ROLE_CLEARANCE, SCOPE_ALL, grant

AnyUser = AbstractBaseUser | AnonymousUser
# restrict() returns the queryset it is given, narrowed: a UnitQuerySet stays a UnitQuerySet.
QS = TypeVar("QS", bound=QuerySet[Any])


class Member(Protocol):
    """What the gate asks of a logged-in user (accounts.models.User gives it)."""

    def reaches_on(self, day: datetime.date) -> list[tuple[str, Reach]]:
        """(role, reach) for each of the user's memberships on `day`."""
        ...


def _memberships(user: Any) -> list[tuple[str, Reach]]:
    """The user's (role, reach) pairs as of today, computed once per user object (a request)."""
    cached: list[tuple[str, Reach]] | None = getattr(user, "_borderlink_memberships", None)
    if cached is None:
        member: Member = user
        cached = member.reaches_on(timezone.localdate())
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
    return max((ROLE_CLEARANCE.get(role, 0) for role, _reach in _memberships(user)), default=0)


def sensitivity_lookup(model: type[models.Model]) -> str | None:
    """Where a record's sensitivity is: its own field, or its parent's (`sensitivity_lookup`)."""
    declared = getattr(model, "sensitivity_lookup", None)
    if declared:
        return str(declared)
    if any(f.name == "sensitivity" for f in model._meta.concrete_fields):
        return "sensitivity"
    return None


def restrict(queryset: QS, user: AnyUser, action: str) -> QS:
    model: type[models.Model] = queryset.model
    level = sensitivity_lookup(model)
    if level is not None:
        queryset = queryset.filter(**{f"{level}__lte": clearance(user)})
    everywhere, reaches = scope(user, model, action)
    if everywhere:
        return queryset
    lookup = getattr(model, "scope_path_lookup", None)
    if not reaches or lookup is None:
        return queryset.none()
    linked = unit_link(model, lookup)
    if linked is not None:
        # The units in reach first, then the records by their unit's id: a filter the planner
        # can count (`home_unit_id IN (…)`), where a join on `path LIKE '/1/4/%'` looked like
        # two units and made it read and sort the whole scope for a page of 50.
        link, unit_model = linked
        units = units_in(reaches, unit_model)
        if isinstance(units, list):  # ids: one parameter, not one per id (core/lookups.py)
            return queryset.filter(**{f"{link}__one_of": lookups.Ids(units)})
        return queryset.filter(**{f"{link}__in": units})
    condition = Q()
    for reach in reaches:
        condition |= reach.q(lookup)
    return queryset.filter(condition)


@cache
def unit_link(model: type[models.Model], lookup: str) -> tuple[str, type[models.Model]] | None:
    """The link to a unit whose path `lookup` reads ("home_unit" for "home_unit__path", "pk"
    for a unit's own "path") and the units' model; None where the scope is not a unit's path
    (a change record's stored path, reference data's code)."""
    if lookup == "path":
        return ("pk", model) if model._meta.label_lower == "places.unit" else None
    parts = lookup.split("__")
    if len(parts) < 2 or parts[-1] != "path":
        return None
    current: Any = model
    for part in parts[:-1]:
        field = current._meta.get_field(part)
        if not field.is_relation or field.many_to_many or field.related_model is None:
            return None
        current = field.related_model
    if current._meta.label_lower != "places.unit":
        return None
    return "__".join(parts[:-1]), current


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
