"""Paging long lists without counting them: the list pages' and the API's page numbers.

`ScopedPaginator` reads a page as the rows of that page plus one (so "next" is known without a
count) and counts the list only up to `EXACT_UP_TO` rows; past that it gives an estimate — the
planner's on PostgreSQL, an exact count kept for `COUNT_SECONDS` elsewhere — and says so
(`estimated`; the pager reads "about"). An exact `COUNT(*)` over a province's 100,000 activities
cost more than the page itself, on every page. Asking for the last page, or for a page past the
end, counts exactly: the user asked where the end is.

The API's page numbers are read strictly: `page` once, as a whole number from 1 (or `last`).
DRF's own pagination takes the first of repeated values, answers a malformed number as a missing
page (404) and lets `page[...]` (a page "object" in deepObject notation) pass as an unknown
parameter, so a client's mistake looks like an empty or a default answer. Here each is a 400
that says what a page is; a page past the end stays a 404.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from functools import cached_property
from typing import Any, cast

from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

MAX_DIGITS = 9
# Up to this many rows a list is counted exactly (the count stops there: cheap at any size).
EXACT_UP_TO = 1000
COUNT_SECONDS = 300  # an exact count standing in for an estimate (not PostgreSQL)
ESTIMATE_SECONDS = 60  # a long list's estimate


class ScopedPage(Page):
    """A page that knows whether another follows from the extra row it read, not a count."""

    def __init__(self, rows: Sequence[Any], number: int, paginator: ScopedPaginator, more: bool):
        super().__init__(rows, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class ScopedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._estimated = False
        self._at_least = 0  # rows known to exist from the pages read
        self._total: int | None = None  # the exact total, when a page showed the end

    def validate_number(self, number: Any) -> int:
        """A whole number from 1; how far the list goes is found by reading the page."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            value = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if value < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return value

    def page(self, number: Any) -> ScopedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(window(self.object_list, bottom, self.per_page + 1))
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        if more:
            self._at_least = max(self._at_least, bottom + len(rows) + 1)
        else:
            self._total = bottom + len(rows)
        return ScopedPage(rows, number, self, more)

    def get_page(self, number: Any) -> ScopedPage:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.last_page())

    def last_page(self) -> int:
        """The number of the last page, counted exactly."""
        total = self._exact()
        self._total, self._estimated = total, False
        self.__dict__.pop("count", None)
        self.__dict__.pop("num_pages", None)
        return max(1, math.ceil(total / self.per_page))

    @property
    def estimated(self) -> bool:
        """Whether `count` (and so `num_pages`) is an estimate: the pager says "about"."""
        self.count  # noqa: B018  (counting is what finds out)
        return self._estimated

    @cached_property
    def count(self) -> int:
        if self._total is not None:
            return self._total
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        # A list found long a moment ago is long still: its estimate is kept a minute, and the
        # page costs no counting at all meanwhile.
        key = _key("list-estimate", self.object_list)
        estimate = cache.get(key)
        if estimate is None:
            capped = self.object_list[: EXACT_UP_TO + 1].count()
            if capped <= EXACT_UP_TO:
                return capped
            estimate = max(_rounded(self._estimate()), EXACT_UP_TO + 1)
            cache.set(key, estimate, ESTIMATE_SECONDS)
        self._estimated = True
        return max(int(estimate), self._at_least)

    def _exact(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return self.object_list.count()
        return len(self.object_list)

    def _estimate(self) -> int:
        """The planner's row estimate on PostgreSQL; elsewhere the exact count, kept a while."""
        queryset = cast(QuerySet[Any], self.object_list).order_by()
        connection = connections[queryset.db]
        sql, params = queryset.values("pk").query.sql_with_params()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                plan = cursor.fetchone()[0]
            if isinstance(plan, str):
                plan = json.loads(plan)
            return int(plan[0]["Plan"]["Plan Rows"])
        return int(
            cache.get_or_set(_key("list-count", queryset), queryset.count, COUNT_SECONDS) or 0
        )


def window(object_list: Any, bottom: int, size: int) -> Any:
    """Rows `bottom` to `bottom + size` of a list. A queryset's are found by their ids first
    (`WHERE id IN (SELECT id … ORDER BY … LIMIT size OFFSET bottom)`, still one statement), so
    the rows skipped and the rows the filters drop are read from the list's sort index alone
    (ledger/migrations/0005 holds the gate's columns in it); only the page's rows are read
    whole. Reading whole rows, page 50 of a province's 2.2 M activities fetched 23,000 rows
    from the table to keep 51 (1.5 s, bench/README-lists.md)."""
    if not isinstance(object_list, QuerySet) or not _deferrable(object_list):
        return object_list[bottom : bottom + size]
    ids = object_list.values("pk")[bottom : bottom + size]
    # The outer query keeps the list's order, links and prefetches, not its filters: they hold
    # for the ids found, and a gate's 10,816 unit ids planned twice cost 20 ms more a page.
    rows = object_list.all()
    rows.query.where = WhereNode()
    return rows.filter(pk__in=ids)


def _deferrable(queryset: QuerySet[Any]) -> bool:
    """Whether the page's ids can be asked apart from its rows: an ordered list of records
    (not groups, not DISTINCT, whose ordering must be selected, no join to many rows) on a
    database that slices subqueries."""
    query = queryset.query
    return (
        queryset.ordered
        # Every join to one row (a link, not a list): the list has no row twice, so its ids
        # are its rows, and the joins the filters made, left in the outer query, keep them all.
        and all(_to_one(join) for join in query.alias_map.values())
        and not query.distinct
        and not query.combinator
        and query.group_by is None
        and not query.is_sliced
        and connections[queryset.db].features.allow_sliced_subqueries_with_in
    )


def _to_one(join: Any) -> bool:
    """Whether a table of the query is the list's own or joined through a link to one row."""
    field = getattr(join, "join_field", None)  # None: the list's own table (BaseTable)
    return field is None or bool(field.many_to_one or field.one_to_one)


def _key(kind: str, queryset: QuerySet[Any]) -> str:
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return f"{kind}:" + hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()


def _rounded(estimate: int) -> int:
    """An estimate to two significant digits: "about 77,000", not a false "76,756"."""
    if estimate < 100:
        return estimate
    step = 10 ** (len(str(estimate)) - 2)
    return round(estimate / step) * step


class StrictPageNumberPagination(PageNumberPagination):
    django_paginator_class = ScopedPaginator

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        name = self.page_query_param
        params = request.query_params
        values = params.getlist(name)
        nested = [key for key in params if key.startswith(f"{name}[")]
        if nested or len(values) > 1:
            raise self._invalid()
        if not values:
            return 1
        value = values[0].strip()
        if value in self.last_page_strings:
            return (
                paginator.last_page()
                if isinstance(paginator, ScopedPaginator)
                else paginator.num_pages
            )
        if not (value.isascii() and value.isdigit()) or len(value) > MAX_DIGITS or int(value) < 1:
            raise self._invalid()
        return int(value)

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None, "paginate_queryset() comes first"
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                # Past EXACT_UP_TO rows `count` is the planner's estimate (or a count kept a
                # while): a client that needs the exact number pages to the end (`next` is exact).
                "count_estimated": bool(getattr(paginator, "estimated", False)),
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count_estimated"] = {
            "type": "boolean",
            "description": "True when `count` is an estimate (lists longer than "
            f"{EXACT_UP_TO} records); `next` is exact either way.",
        }
        described["required"] = [*described.get("required", []), "count_estimated"]
        return described

    def _invalid(self) -> ValidationError:
        return ValidationError(
            {self.page_query_param: [_("A page number is a whole number from 1, given once.")]}
        )
