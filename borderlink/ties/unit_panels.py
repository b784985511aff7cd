"""What a unit's page shows of its cooperation (places/panels.py, the extension point): the
other side's units it is paired with, its partnerships, agreements and mechanisms.

A unit's ties are its own and those of the units it continues (ties/recording.py: the new Thanh
Thủy commune keeps the old commune's residents' pairing); on a unit of the other side, the ties
that name it. Each list holds only what the viewer could link to (registers/links.of_model, the
rule the register pages use to name a linked record).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from borderlink.places.models import Unit
from borderlink.places.panels import Panel, unit_panel
from borderlink.registers.links import of_model
from borderlink.ties.models import Agreement, Mechanism, Partnership
from borderlink.ties.recording import _itself_and_before

SHOWN = 20


def title_in(record: Any, lang: str) -> str:
    """An agreement's or mechanism's title in the page's language, else the Vietnamese one."""
    key = {"zh-hans": "zh"}.get(lang, lang)
    return str(getattr(record, f"title_{key}", "") or record.title_vi)


def _mine(model: type[Any], user: Any, condition: Q) -> QuerySet[Any]:
    return of_model(model, user).filter(condition).distinct()


@unit_panel("cooperation", order=10)
def cooperation(unit: Unit, user: Any, today: datetime.date) -> Panel | None:
    chain = _itself_and_before(unit)
    partnerships = list(
        _mine(
            Partnership,
            user,
            Q(our_units__in=chain) | Q(their_units=unit) | Q(home_unit=unit),
        )
        .prefetch_related("our_units", "their_units")
        .order_by("-started_on", "title")[:SHOWN]
    )
    agreements = list(
        _mine(
            Agreement,
            user,
            Q(our_parties__in=chain) | Q(their_parties=unit) | Q(home_unit=unit),
        ).order_by("-signed_on", "title_vi")[:SHOWN]
    )
    mechanisms = list(
        _mine(
            Mechanism,
            user,
            Q(our_members__in=chain) | Q(their_members=unit) | Q(home_unit=unit),
        ).order_by("code")[:SHOWN]
    )
    if not (partnerships or agreements or mechanisms):
        return None
    chain_ids = {u.pk for u in chain}
    counterparts: dict[int, Unit] = {}
    for tie in partnerships:
        if not tie.in_force_on(today):
            continue
        ours = {u.pk for u in tie.our_units.all()}
        # Seen from our side, the counterparts are their units; from theirs, ours.
        others = tie.their_units.all() if ours & chain_ids else tie.our_units.all()
        for other in others:
            if other.pk != unit.pk:
                counterparts.setdefault(other.pk, other)
    lang = get_language() or "vi"
    return Panel(
        key="cooperation",
        title=_("Cooperation"),
        template="ties/_unit_cooperation.html",
        context={
            "counterparts": list(counterparts.values()),
            "partnerships": [(p, p.in_force_on(today)) for p in partnerships],
            "agreements": [(a, title_in(a, lang), a.in_force_on(today)) for a in agreements],
            "mechanisms": [(m, title_in(m, lang)) for m in mechanisms],
        },
    )
