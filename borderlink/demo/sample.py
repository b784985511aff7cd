"""Writing the demo's sample ledger (sample_plan.py) into the ledger, marked as sample data.

- Marked: every entry cites the source SOURCE_CODE, a Source with `synthetic` set: registers
  show a "sample data" badge on its records' rows and detail pages, and exports carry the code in
  their source column.
- Never public: every entry is "internal" (sensitivity 1). The portal evaluates its figures and
  lists its activities at the public clearance 0 (portal/compose.PUBLIC_CLEARANCE,
  portal/public.activities), so no sample entry counts there.
- Never changes a seed figure: the entries start on 01/07/2021, the day after the last seed
  period ends, so no seed return covers them and no figure of a seed period moves.
- Fast and repeatable: one bulk insert of the entries not there yet (found by unit, kind, date and
  title), their "created" history rows in one more, and their contribution to the statistics
  rollup (stats/rollup.py) applied in one batch of upserts, as the save signals would have done
  one by one.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from borderlink.core.choices import Sensitivity
from borderlink.core.context import current_actor, current_reason
from borderlink.core.history import snapshot
from borderlink.core.models import ChangeRecord, Source
from borderlink.demo.sample_plan import POSTS, SEED, Entry, plan
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.stats import rollup
from borderlink.ties.models import Mechanism, Partnership

SOURCE_CODE = "sample-ledger"
SENSITIVITY = int(Sensitivity.INTERNAL)


def sample_source() -> Source:
    source, _created = Source.objects.update_or_create(
        code=SOURCE_CODE,
        defaults={
            "kind": Source.Kind.EDITOR,
            "title": "Sample ledger: invented entries for the demo (not real events)",
            "publisher": "BorderLink demo",
            "reference": "borderlink/demo/sample_plan.py",
            "note": (
                "Synthetic data with realistic volumes and seasons, so that dashboards, trends "
                "and maps show figures from records. Internal: never on the public portal."
            ),
            "synthetic": True,
        },
    )
    return source


def _partnerships(units: dict[str, Unit]) -> dict[tuple[str, str], Partnership]:
    """(our code, their code) → the demo's partnership pairing them, keyed by the post's unit
    before the reform: a unit that goes on after it keeps its pairing (ties/recording.py)."""
    found: dict[tuple[str, str], Partnership] = {}
    befores = {post.before: post for post in POSTS}
    qs = Partnership.objects.filter(our_units__code__in=list(befores)).prefetch_related(
        "our_units", "their_units"
    )
    for partnership in qs.distinct():
        for ours in partnership.our_units.all():
            post = befores.get(ours.code)
            if post is None:
                continue
            for theirs in partnership.their_units.all():
                found.setdefault((post.before, theirs.code), partnership)
                found.setdefault((post.after, theirs.code), partnership)
    return found


def _activity(
    entry: Entry,
    units: dict[str, Unit],
    partnerships: dict[tuple[str, str], Partnership],
    mechanisms: dict[str, Mechanism],
    source: Source,
) -> Activity:
    partnership = partnerships.get((entry.unit, entry.counterpart))
    if partnership is not None and not partnership.in_force_on(entry.day):
        partnership = None
    return Activity(
        kind=entry.kind,
        occurred_on=entry.day,
        title=entry.title,
        home_unit=units[entry.unit],
        counterpart=units[entry.counterpart],
        partnership=partnership,
        mechanism=mechanisms.get(entry.mechanism),
        channel=entry.channel,
        diplomacy=entry.diplomacy,
        direction=entry.direction,
        sensitivity=SENSITIVITY,
        count=entry.count,
        persons=entry.persons,
        quantity=entry.quantity,
        quantity_unit=entry.quantity_unit,
        source=source,
    )


def _history(created: list[Activity]) -> None:
    actor = current_actor()
    content_type = ContentType.objects.get_for_model(Activity)
    ChangeRecord.objects.bulk_create(
        [
            ChangeRecord(
                actor=actor,
                actor_name=getattr(actor, "username", "") if actor else "",
                reason=current_reason() or "sample ledger",
                content_type=content_type,
                object_id=str(activity.pk),
                object_repr=str(activity)[:300],
                action=ChangeRecord.Action.CREATE,
                changes={k: [None, v] for k, v in snapshot(activity).items()},
                scope_path=activity.home_unit.path,
                sensitivity=activity.sensitivity,
            )
            for activity in created
        ],
        batch_size=1000,
    )


def _tally(created: list[Activity]) -> None:
    """The new entries' contribution to the rollup, as the save signals would have added it."""
    rows = [
        {
            **{name: getattr(a, name) for name in rollup.KEY_FIELDS},
            "occurred_on": a.occurred_on,
            "count": a.count,
            "persons": a.persons,
            "value": a.value,
            "quantity": a.quantity,
            "path": a.home_unit.path,
        }
        for a in created
    ]
    rollup.apply(rollup.expected(rows))


@transaction.atomic
def load(until: datetime.date | None = None, seed: int = SEED) -> dict[str, Any]:
    """Write the sample entries up to `until` (today) that are not there yet."""
    until = until or timezone.localdate()
    source = sample_source()
    entries = plan(until, seed)
    codes = {e.unit for e in entries} | {e.counterpart for e in entries}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    missing = sorted(codes - set(units))
    # A unit the gazetteer lacks (or an entry outside its unit's life) is left out, not invented.
    usable = [
        e
        for e in entries
        if e.unit in units
        and e.counterpart in units
        and units[e.unit].is_valid_on(e.day)
        and units[e.counterpart].is_valid_on(e.day)
    ]
    existing = {
        (home, kind, day, title)
        for home, kind, day, title in Activity.objects.filter(source=source).values_list(
            "home_unit__code", "kind", "occurred_on", "title"
        )
    }
    partnerships = _partnerships(units)
    mechanisms = {
        m.code: m
        for m in Mechanism.objects.filter(code__in={e.mechanism for e in usable if e.mechanism})
    }
    new = [
        _activity(e, units, partnerships, mechanisms, source)
        for e in usable
        if e.key not in existing
    ]
    created = Activity.objects.bulk_create(new, batch_size=1000)
    if any(a.pk is None for a in created):  # a backend that does not return ids
        ids = {
            (home, kind, day, title): pk
            for pk, home, kind, day, title in Activity.objects.filter(source=source).values_list(
                "pk", "home_unit__code", "kind", "occurred_on", "title"
            )
        }
        for a in created:
            a.pk = ids[(a.home_unit.code, a.kind, a.occurred_on, a.title)]
    _history(created)
    _tally(created)
    return {
        "created": len(created),
        "existing": len(existing),
        "left out": len(entries) - len(usable),
        "missing units": missing,
    }
