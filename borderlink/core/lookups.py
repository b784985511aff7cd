"""`field__one_of=[ids]`: membership in a list of values sent as ONE parameter.

The permission gate filters records by the ids of the units in the user's reach (hundreds for a
province). `__in` writes one placeholder per id, which Django compiles and the driver splices
into a new SQL text on every page; here the list travels as one value — an array on PostgreSQL
(`= ANY(%s)`: the driver writes it as a literal, so the planner still sees every id and counts
the rows they hold), a JSON array on SQLite (`IN (SELECT value FROM json_each(%s))`). An empty
list matches nothing, as `__in=[]` does.

`Ids(ids)`: whole numbers for `__one_of` that Django takes as one value. A list is one value
too, but `filter()` resolves and checks each of its items and the lookup prepares each again
at every compiling: for a new province's 10,816 unit ids that was 30–40 ms of Python a page.
On PostgreSQL they travel as one array literal, written once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Lookup


class Ids:
    """Whole numbers for `__one_of`, read as they are. Not iterable on purpose: Django walks
    an iterable value's items on `filter()`, which is the cost this saves."""

    __slots__ = ("_literal", "values")

    def __init__(self, values: Iterable[int]) -> None:
        self.values: tuple[int, ...] = tuple(int(v) for v in values)
        self._literal: str | None = None

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:  # what a query's cache key reads (core/pagination.py)
        return f"Ids({self.literal()})"

    def literal(self) -> str:
        """PostgreSQL's array literal, `{1,2,3}`, written once."""
        if self._literal is None:
            self._literal = "{" + ",".join(map(str, self.values)) + "}"
        return self._literal


class OneOf(Lookup):
    lookup_name = "one_of"

    def get_prep_lookup(self) -> Any:
        if isinstance(self.rhs, Ids):
            return self.rhs
        return [self.lhs.output_field.get_prep_value(v) for v in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        if isinstance(self.rhs, Ids):
            if not self.rhs.values:
                return "1 = 0", []
            if connection.vendor == "postgresql":
                cast = field.db_type(connection)
                return f"{lhs} = ANY(%s::{cast}[])", [*lhs_params, self.rhs.literal()]
            values: list[Any] = list(self.rhs.values)
        else:
            values = [field.get_db_prep_value(v, connection, prepared=True) for v in self.rhs]
        if not values:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            # Typed as the column: the driver types a list of small ints `integer[]`, and
            # `bigint = ANY(integer[])` (a cross-type operator) is searched element by element
            # for each row, where the same type is looked up in a hash table: 80 µs a row for a
            # province's 10,816 unit ids, 1.3 s to reach page 50 (bench/README-lists.md).
            return f"{lhs} = ANY(%s::{field.db_type(connection)}[])", [*lhs_params, values]
        if connection.vendor == "sqlite":
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(values)]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


models.Field.register_lookup(OneOf)
# Links keep lookups of their own (RelatedIn, RelatedExact…): register there too.
models.ForeignObject.register_lookup(OneOf)
