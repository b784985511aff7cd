"""A register is declared once, in a few lines; the shared machinery does the rest.

From a `Register` the registers app builds: the list page (search, filters, sorting, paging,
CSV/XLSX export of the filtered list), the detail page (fields, related records, history), the
create/edit forms, delete with confirmation, bulk import with a template, a preview of every
row's errors and an all-or-nothing commit, and the REST endpoint in the OpenAPI schema — all
through the permission gate, scoped by the record's unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models


@dataclass(eq=False)  # hashed by identity: one declaration, cached forms and serializers
class Register:
    model: type[models.Model]
    slug: str  # the URL part: /r/<slug>/ and /api/<slug>/
    fields: list[str]  # what forms, imports, exports and the API carry
    list_display: list[str]
    # The Unit that decides who may act on a record, as a path from the form's cleaned data:
    # "home_unit", or "activity.home_unit" for a detail record of an activity; "" for none.
    unit_field: str
    search_fields: list[str] = field(default_factory=list)
    filter_fields: list[str] = field(default_factory=list)
    ordering: list[str] = field(default_factory=list)  # sortable columns, first is the default
    form_base: type[forms.ModelForm] | None = None  # for cross-field checks of a register
    related: list[tuple[Any, str]] = field(default_factory=list)  # (label, accessor) on detail
    detail_extra: Callable[[Any], dict[str, Any]] | None = None
    file_fields: list[str] = field(default_factory=list)  # on forms and pages, not in spreadsheets
    import_help: str = ""
    allow_delete: bool = True

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def item_label(self) -> str:
        return str(self.model._meta.verbose_name)

    def unit_of(self, cleaned_data: dict[str, Any]) -> Any:
        if not self.unit_field:
            return None
        first, *rest = self.unit_field.split(".")
        value = cleaned_data.get(first)
        for attribute in rest:
            value = getattr(value, attribute, None) if value is not None else None
        return value

    def model_field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)  # type: ignore[return-value]


_REGISTRY: dict[str, Register] = {}


def register(spec: Register) -> Register:
    if spec.slug in _REGISTRY and _REGISTRY[spec.slug].model is not spec.model:
        raise ValueError(f"register slug {spec.slug!r} is taken")
    _REGISTRY[spec.slug] = spec
    return spec


def registers() -> list[Register]:
    return list(_REGISTRY.values())


def get_register(slug: str) -> Register:
    return _REGISTRY[slug]


def register_for(model: type[models.Model]) -> Register | None:
    return next((r for r in _REGISTRY.values() if r.model is model), None)
