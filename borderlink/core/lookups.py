"""`field__one_of=[ids]`: membership in a list of values sent as ONE parameter.

The permission gate filters records by the ids of the units in the user's reach (hundreds for a
province). `__in` writes one placeholder per id, which Django compiles and the driver splices
into a new SQL text on every page; here the list travels as one value — an array on PostgreSQL
(`= ANY(%s)`: the driver writes it as a literal, so the planner still sees every id and counts
the rows they hold), a JSON array on SQLite (`IN (SELECT value FROM json_each(%s))`). An empty
list matches nothing, as `__in=[]` does.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.models import Lookup


class OneOf(Lookup):
    lookup_name = "one_of"

    def get_prep_lookup(self) -> list[Any]:
        return [self.lhs.output_field.get_prep_value(v) for v in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(v, connection, prepared=True) for v in self.rhs]
        if not values:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if connection.vendor == "sqlite":
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(values)]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


models.Field.register_lookup(OneOf)
# Links keep lookups of their own (RelatedIn, RelatedExact…): register there too.
models.ForeignObject.register_lookup(OneOf)
