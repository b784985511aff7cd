"""How an activity is entered quickly: the fields each kind needs first, the defaults drawn from
the unit's partnerships in force, and the title made from the rest when none is typed."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from borderlink.ledger.models import ActivityKind, Channel, Direction
from borderlink.places.models import Unit
from borderlink.registers.spec import ANY, QuickEntry
from borderlink.ties.recording import partnerships_of

_EXCHANGE = ["kind", "occurred_on", "direction", "counterpart", "count", "title"]

QUICK = QuickEntry(
    by="kind",
    fields={
        ActivityKind.LETTER: _EXCHANGE,
        ActivityKind.PHONE_CALL: _EXCHANGE,
        ActivityKind.MEETING: [
            "kind",
            "occurred_on",
            "counterpart",
            "mechanism",
            "title",
            "persons",
            "outcomes",
        ],
        ActivityKind.HANDOVER: [
            "kind",
            "occurred_on",
            "direction",
            "counterpart",
            "count",
            "persons",
            "title",
        ],
        ANY: ["kind", "occurred_on", "direction", "counterpart", "title", "count"],
    },
)

# The channel that goes without saying for a kind.
CHANNEL_OF_KIND = {ActivityKind.LETTER: Channel.LETTER, ActivityKind.PHONE_CALL: Channel.PHONE}
# One-way by nature: a letter or a call is sent or received, never "joint".
ONE_WAY = (ActivityKind.LETTER, ActivityKind.PHONE_CALL)


def defaults(user: Any, today: datetime.date, initial: dict[str, Any]) -> dict[str, Any]:
    """The counterpart, partnership and diplomacy channel of the home unit's closest partnership
    in force on the record's date; the channel and direction a kind implies."""
    found: dict[str, Any] = {}
    kind = str(initial.get("kind") or "")
    if kind in CHANNEL_OF_KIND:
        found["channel"] = CHANNEL_OF_KIND[ActivityKind(kind)]
    if kind in ONE_WAY:
        found["direction"] = Direction.SENT
    home = Unit.objects.filter(code=initial.get("home_unit") or "").first()
    day = initial.get("occurred_on")
    if home is None or not isinstance(day, datetime.date):
        return found
    for partnership in partnerships_of(home, day):
        theirs = [u for u in partnership.their_units.all() if u.is_valid_on(day)]
        if theirs:
            found["counterpart"] = theirs[0].code
            found["partnership"] = partnership.pk
            found["diplomacy"] = partnership.diplomacy
            break
    return found


def title_for(data: dict[str, Any]) -> str:
    """A title from what was entered, in the page's language: "Letter · sent · Tianbao … ·
    04/12/2026"."""
    parts = [str(ActivityKind(data["kind"]).label)] if data.get("kind") else []
    if data.get("direction") and data["direction"] != Direction.JOINT:
        parts.append(str(Direction(data["direction"]).label).lower())
    counterpart = data.get("counterpart")
    if isinstance(counterpart, Unit):
        parts.append(counterpart.display_name(get_language() or "vi")[0])
    if isinstance(data.get("occurred_on"), datetime.date):
        parts.append(date_format(data["occurred_on"], "SHORT_DATE_FORMAT"))
    return " · ".join(parts) or _("Activity")
