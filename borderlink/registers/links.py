"""Which records a link field offers and accepts: those the acting user may view, through the gate.

Every form, API serializer, import and picker of a register asks here, so a record the user may
not see can neither be chosen nor linked, and no error message can name it: out of scope reads
the same as "no such record".
"""

from __future__ import annotations

from typing import Any

from django.db import models

from borderlink.core.permissions import restrict
from borderlink.registers.spec import Register


def related_model(spec: Register, name: str) -> type[models.Model]:
    """The model the link field `name` of `spec` points to (ValueError if it is not a link)."""
    field = spec.model_field(name)
    model = field.related_model
    if not field.is_relation or not isinstance(model, type):
        raise ValueError(f"{spec.slug}.{name} is not a link to another record")
    return model


def choices(spec: Register, name: str, user: Any) -> models.QuerySet:
    """The records the link field `name` of `spec` offers and accepts for `user`: the related
    model's records the user may view (units are reference data every role may view)."""
    return of_model(related_model(spec, name), user)


def of_model(model: type[models.Model], user: Any) -> models.QuerySet:
    """The records of `model` a user may link to: what the gate lets them view."""
    queryset: models.QuerySet = restrict(model._default_manager.all(), user, "view")
    return queryset
