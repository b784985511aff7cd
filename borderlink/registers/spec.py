"""A register is declared once, in a few lines; the shared machinery does the rest.

From a `Register` the registers app builds: the list page (search, filters, sorting, paging,
CSV/XLSX export of the filtered list), the detail page (fields, related records, history), the
create/edit forms, delete with confirmation, bulk import with a template, a preview of every
row's errors and an all-or-nothing commit, and the REST endpoint in the OpenAPI schema — all
through the permission gate, scoped by the record's unit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:  # a development dependency (django-stubs): for the checker only
    from django_stubs_ext import StrOrPromise


@dataclass(eq=False)
class PersonalData:
    """Fields that identify a person (registers/personal.py): shown, exported and editable only
    for users granted `action` on the record; everyone else sees them masked."""

    fields: list[str]
    action: str = "personal"  # the grant (core/roles.py) that unmasks them
    # Extra search condition for the query text (e.g. an ID number's blind index), applied only
    # to the records the user may unmask, so a search is no oracle for anyone else.
    exact_search: Callable[[str], Q] | None = None
    # Called with (user, pks shown, how, pks shown unmasked) whenever records are shown.
    audit: Callable[[Any, list[Any], str, set[Any]], None] | None = None


ANY = "*"  # the quick field set of the values a QuickEntry does not name


@dataclass(eq=False)
class QuickEntry:
    """The short form of a register (registers/entry.py): per value of the field `by` (an
    activity's kind), the fields shown at first, in order; ANY covers the other values."""

    by: str
    fields: dict[str, list[str]] = field(default_factory=dict)

    def shown(self, value: Any) -> list[str]:
        return self.fields.get(str(value or ""), self.fields.get(ANY, []))


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
    # A sortable column ordered by another field (e.g. a marker number by its numeric order).
    sort_keys: dict[str, str] = field(default_factory=dict)
    form_base: type[forms.ModelForm] | None = None  # for cross-field checks of a register
    related: list[tuple[Any, str]] = field(default_factory=list)  # (label, accessor) on detail
    # More for the detail page's context, from (the record, the user viewing it).
    detail_extra: Callable[[Any, Any], dict[str, Any]] | None = None
    file_fields: list[str] = field(default_factory=list)  # on forms and pages, not in spreadsheets
    import_help: StrOrPromise = ""  # usually lazy: translated when shown
    allow_delete: bool = True
    personal: PersonalData | None = None
    # Entering records (registers/entry.py): the date a new record gets today (default: the
    # first required date field); defaults the register adds from who is recording, as
    # (user, today, the initial values so far) → more initial values; the short form per kind.
    date_field: str = ""
    defaults: Callable[[Any, datetime.date, dict[str, Any]], dict[str, Any]] | None = None
    quick: QuickEntry | None = None
    # What a page of the list and of the API reads beside each record, fetched with the page
    # (links in the same query, many-to-many and reverse links in one query each) so a page
    # costs the same whether it shows 10 rows or 50: links shown or sent by code
    # (`select_related`, e.g. "home_unit", "marker__section" when a record's name reads its
    # section), lists of records (`prefetch_related`). tests/registers/test_query_counts.py
    # holds every register to it.
    select_related: list[str] = field(default_factory=list)
    prefetch_related: list[str] = field(default_factory=list)

    def listing(self, queryset: models.QuerySet) -> models.QuerySet:
        """`queryset` with what a list page or an API page reads (select/prefetch_related)."""
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
            if deferred := _deferred(self.model, tuple(self.select_related)):
                queryset = queryset.defer(*deferred)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

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
        # A register names concrete model fields only, never a reverse relation.
        return cast(models.Field, self.model._meta.get_field(name))


@cache
def _deferred(model: type[models.Model], paths: tuple[str, ...]) -> list[str]:
    """The columns the linked records a list reads with its rows leave in the database: what
    their model names in `listing_defer` (a unit's shape: a province's outline is large)."""
    found: list[str] = []
    for path in paths:
        current: Any = model
        parts: list[str] = []
        for part in path.split("__"):
            current = current._meta.get_field(part).related_model
            parts.append(part)
            found += ["__".join([*parts, name]) for name in getattr(current, "listing_defer", ())]
    return list(dict.fromkeys(found))


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
