"""Search, filters and sorting of a register's list, shared by the page, the export and the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.http import QueryDict

from borderlink.core import dates
from borderlink.core.text import fold
from borderlink.registers.fields import natural_key_field
from borderlink.registers.spec import Register


@dataclass
class Filter:
    name: str
    label: str
    kind: str  # choice, link, date, bool
    choices: list[tuple[str, str]]
    value: str = ""
    value_to: str = ""


def filters_for(spec: Register, params: QueryDict) -> list[Filter]:
    result = []
    for name in spec.filter_fields:
        field = spec.model_field(name)
        label = str(field.verbose_name)
        if field.choices:
            kind, choices = "choice", [(str(k), str(v)) for k, v in field.choices]
        elif field.is_relation:
            kind, choices = "link", []
        elif isinstance(field, models.DateField):
            kind, choices = "date", []
        elif isinstance(field, models.BooleanField):
            kind, choices = "bool", []
        else:
            kind, choices = "text", []
        result.append(
            Filter(name, label, kind, choices, params.get(name, ""), params.get(f"{name}__to", ""))
        )
    return result


def _date(text: str) -> datetime.date | None:
    """A filter's date as typed in the page's language (or ISO from a link); unreadable: none."""
    return dates.parse_or(text)


def apply(
    spec: Register, queryset: models.QuerySet, params: QueryDict, user: Any = None
) -> models.QuerySet:
    query = params.get("q", "").strip()
    exact = spec.personal.exact_search if spec.personal and user is not None else None
    if query and (spec.search_fields or exact):
        condition = Q()
        for name in spec.search_fields:
            condition |= Q(**{f"{name}__icontains": query})
            if name.endswith("search_text"):
                condition |= Q(**{f"{name}__contains": fold(query)})
        if exact is not None and spec.personal is not None:
            from borderlink.core.permissions import restrict

            allowed = restrict(spec.model._default_manager.all(), user, spec.personal.action)
            condition |= Q(pk__in=allowed.filter(exact(query)).values("pk"))
        queryset = queryset.filter(condition)
    for flt in filters_for(spec, params):
        field = spec.model_field(flt.name)
        if flt.kind == "date":
            start, end = _date(flt.value), _date(flt.value_to)
            if start:
                queryset = queryset.filter(**{f"{flt.name}__gte": start})
            if end:
                queryset = queryset.filter(**{f"{flt.name}__lte": end})
        elif not flt.value:
            continue
        elif flt.kind == "link":
            key = natural_key_field(field.related_model)  # type: ignore[arg-type]
            queryset = queryset.filter(**{f"{flt.name}__{key}": flt.value})
        elif flt.kind == "bool":
            queryset = queryset.filter(**{flt.name: flt.value in ("1", "true", "yes")})
        else:
            queryset = queryset.filter(**{flt.name: flt.value})
    if spec.filter_fields and any(spec.model_field(n).many_to_many for n in spec.filter_fields):
        queryset = queryset.distinct()
    return queryset.order_by(*sort_order(spec, params))


def sort_order(spec: Register, params: QueryDict) -> list[str]:
    requested = params.get("sort", "")
    if requested.lstrip("-") not in spec.ordering:
        requested = spec.ordering[0] if spec.ordering else "pk"
    name = requested.lstrip("-")
    return [requested[: len(requested) - len(name)] + spec.sort_keys.get(name, name), "pk"]


def sort_links(spec: Register, params: QueryDict) -> dict[str, dict[str, Any]]:
    current = params.get("sort", "")
    links = {}
    for name in spec.ordering:
        other = params.copy()
        descending = current == name
        other["sort"] = f"-{name}" if descending else name
        other.pop("page", None)
        links[name] = {
            "query": other.urlencode(),
            "state": "ascending"
            if current == name
            else "descending"
            if current == f"-{name}"
            else "",
        }
    return links
