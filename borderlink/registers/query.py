"""Search, filters and sorting of a register's list, shared by the page, the export and the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import QueryDict

from borderlink.core import dates, lookups  # noqa: F401  (lookups: `__one_of`)
from borderlink.core.text import fold
from borderlink.registers.fields import linked_model, natural_key_field
from borderlink.registers.spec import Register

# Up to this many linked records a search names them by id; past it, a subquery.
LISTED = 2000
# Up to this many matching records a search hands the page their ids (see apply); a query
# shorter than a trigram has no index to find them by.
SEARCH_IDS = 1000
TRIGRAM = 3


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
        linked: dict[type[models.Model], tuple[str, Any]] = {}
        for name in spec.search_fields:
            condition |= _matches(spec.model, name, query, linked)
        if exact is not None and spec.personal is not None:
            from borderlink.core.permissions import restrict

            allowed = restrict(spec.model._default_manager.all(), user, spec.personal.action)
            condition |= Q(pk__in=allowed.filter(exact(query)).values("pk"))
        # The matches first, through the text indexes, when they are few: the page then orders
        # a known set of ids. Left to guess how many rows a `LIKE '%…%'` keeps, the planner
        # walks the date index testing every row, and a word no record holds reads them all.
        if len(query) >= TRIGRAM:
            matches = queryset.filter(condition).order_by().values_list("pk", flat=True)
            found = list(matches[: SEARCH_IDS + 1])
            if len(found) <= SEARCH_IDS:
                condition = Q(pk__one_of=found)
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
            key = natural_key_field(linked_model(field))
            queryset = queryset.filter(**{f"{flt.name}__{key}": flt.value})
        elif flt.kind == "bool":
            queryset = queryset.filter(**{flt.name: flt.value in ("1", "true", "yes")})
        else:
            queryset = queryset.filter(**{flt.name: flt.value})
    if spec.filter_fields and any(spec.model_field(n).many_to_many for n in spec.filter_fields):
        queryset = queryset.distinct()
    return queryset.order_by(*sort_order(spec, params))


def _matches(
    model: type[models.Model],
    name: str,
    query: str,
    linked: dict[type[models.Model], tuple[str, Any]],
) -> Q:
    """Records whose field `name` contains the query: its text case-insensitively (a trigram
    index serves it on PostgreSQL, ledger/migrations/0004), a folded search text as folded —
    only as folded: the text is folded whole (lower case, no marks, places/models.py), so what
    a case-insensitive match finds there the folded query finds too, through the trigram index
    on the plain column, where `UPPER(search_text) LIKE …` read every unit (114 ms of 100,000).

    A linked record's search text ("home_unit__search_text") is searched first, in its own
    table, once per model (`linked`): the search then reads `home_unit_id = ANY(…)`, which the
    records' index on the link serves beside the text indexes, where a join would scan them."""
    *path, last = name.split("__")
    if last != "search_text":
        return Q(**{f"{name}__icontains": query})
    text = Q(search_text__contains=fold(query))
    if not path:
        return text
    related: Any = model
    for part in path:
        related = related._meta.get_field(part).related_model
    link = "__".join(path)
    if related not in linked:
        rows = related._default_manager.filter(text)
        found = list(rows.values_list("pk", flat=True)[: LISTED + 1])
        # A word most records hold: the database joins instead.
        linked[related] = ("in", rows.values("pk")) if len(found) > LISTED else ("one_of", found)
    lookup, value = linked[related]
    return Q(**{f"{link}__{lookup}": value})


def listing(spec: Register, queryset: models.QuerySet, shown: Any = None) -> models.QuerySet:
    """`spec.listing(queryset)` for a page, less the links to one record it prefetches (those
    `fetch_links` reads for the rows that have one); `shown`: only the lists and links those
    columns show (a list page's), where the API sends them all."""
    kept = [
        lookup
        for lookup in spec.prefetch_related
        if _one_link(spec, lookup) is None and (shown is None or lookup.split("__")[0] in shown)
    ]
    listed = spec.listing(queryset)
    if kept == spec.prefetch_related:
        return listed
    return listed.prefetch_related(None).prefetch_related(*kept)


def fetch_links(spec: Register, rows: Any, shown: Any = None) -> None:
    """The links to one record a register prefetches (the activities' partnership, agreement,
    mechanism, source: empty on most rows), fetched for the rows that have one, as the
    queryset's prefetch would: one query a link. Prefetched through the queryset, each cost
    building a query for the page even when no row had one."""
    for lookup in spec.prefetch_related:
        attname = _one_link(spec, lookup)
        if attname is None or (shown is not None and lookup not in shown):
            continue
        having = [row for row in rows if getattr(row, attname) is not None]
        if having:
            models.prefetch_related_objects(having, lookup)


def _one_link(spec: Register, lookup: Any) -> str | None:
    """The id column of `lookup` when it is the register's own link to one record, else None."""
    if not isinstance(lookup, str) or "__" in lookup:
        return None
    try:
        field = spec.model._meta.get_field(lookup)
    except FieldDoesNotExist:
        return None
    if field.many_to_one and field.concrete:
        return str(field.attname)
    return None


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
