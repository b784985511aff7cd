"""Marking invented records: `{% include "core/_sample_badge.html" with record=obj %}`.

A record whose source is synthetic (Source.synthetic: the demo's sample ledger) gets a visible
"sample data" badge wherever a register shows it. The synthetic sources are read once per
request, not once per row.
"""

from __future__ import annotations

from typing import Any

from django import template

from borderlink.core.models import Source

register = template.Library()


def synthetic_source_ids() -> frozenset[int]:
    return frozenset(Source.objects.filter(synthetic=True).values_list("pk", flat=True))


@register.simple_tag(takes_context=True)
def is_sample(context: template.Context, record: Any) -> bool:
    source_id = getattr(record, "source_id", None)
    if source_id is None:
        return False
    request = context.get("request")
    if request is None:
        return source_id in synthetic_source_ids()
    ids: frozenset[int] | None = getattr(request, "_synthetic_source_ids", None)
    if ids is None:
        ids = synthetic_source_ids()
        request._synthetic_source_ids = ids
    return source_id in ids
