"""People registers enter the ledger as counts, never as names.

Records of a people register are grouped by a key, and each group is one ledger entry whose
measures count the group; the statistics engine then counts the register like any activity
(rolled up, reform-resolved, and covered by a declared return of the same unit subtree and
period, so nothing is counted twice). The entry names no one and is internal.

- Labour (`LABOUR`): one entry of kind "labour dispatch" per (responsible unit, agreement, month
  of departure), persons = the workers who left (cancelled registrations not counted) —
  `labour.workers_sent`. Linked by `LabourDispatch`.
- Scholarships (`SCHOLARSHIPS`): one entry of kind "scholarship" per (responsible unit, the
  other side's unit, year, direction), count = persons = the scholarships awarded that year (a
  withdrawn one was still awarded) — `education.scholarships`. Linked by `ScholarshipAwards`.

The models call `Link.saving`/`Link.deleting` (people/models/base.CountedInLedger), inside the
record's transaction: the rollup listening to activity saves moves with it. The entry itself is
written by ledger/links.keep_entry, as a delegation's is.
"""

from __future__ import annotations

import datetime
import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Max, Min
from django.utils import translation
from django.utils.translation import gettext as _

from borderlink.core.choices import Diplomacy, Sensitivity
from borderlink.ledger.links import keep_entry
from borderlink.ledger.models import Activity, ActivityKind, Direction
from borderlink.people.choices import LabourStatus, ScholarshipDirection

if TYPE_CHECKING:
    from borderlink.people.models import LabourRegistration, Scholarship

K = TypeVar("K", bound=tuple[Any, ...])  # a group's key, in the order of key_fields


class Link(ABC, Generic[K]):
    """How one people register is counted in the ledger."""

    kind: str
    # The people model holding a group's entry (`activity`), and its fields that are the key.
    link_model: str
    key_fields: tuple[str, ...]

    @abstractmethod
    def key_of(self, record: Any) -> K | None:
        """The group a record counts in, or None when it counts nowhere."""

    @abstractmethod
    def counted(self, key: K) -> models.QuerySet[Any]:
        """The records the group's entry counts."""

    def by_key(self, key: K) -> dict[str, Any]:
        return dict(zip(self.key_fields, key, strict=True))

    def link_of(self, key: K) -> Any | None:
        links = apps.get_model("people", self.link_model)._default_manager
        return links.filter(**self.by_key(key)).select_related("activity").first()

    def new_link(self, key: K, activity: Activity) -> None:
        links = apps.get_model("people", self.link_model)._default_manager
        links.create(**self.by_key(key), activity=activity)

    @abstractmethod
    def entry(self, key: K, counted: models.QuerySet[Any], size: int) -> dict[str, Any]:
        """The entry's fields for a group of `size` records."""

    def saving(self, record: Any, save: Callable[[], None]) -> None:
        before = self._key_of_saved(record)
        with transaction.atomic():
            save()
            self.sync_keys(before, self.key_of(record))

    def deleting(self, record: Any, delete: Callable[[], Any]) -> Any:
        before = self._key_of_saved(record)
        with transaction.atomic():
            result = delete()
            self.sync_keys(before)
        return result

    def _key_of_saved(self, record: Any) -> K | None:
        if record.pk is None:
            return None
        saved = type(record)._default_manager.filter(pk=record.pk).first()
        return self.key_of(saved) if saved is not None else None

    def sync_keys(self, *keys: K | None) -> None:
        for key in dict.fromkeys(k for k in keys if k is not None):
            self.sync(key)

    def _lock(self, key: K) -> None:
        """Two saves into one group at once would both count and both create its entry: on
        PostgreSQL they take turns on the group (a lock held to the end of the transaction);
        SQLite has one writer at a time already."""
        if connection.vendor != "postgresql":
            return
        digest = hashlib.sha256(repr((self.kind, key)).encode()).digest()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
            )

    def sync(self, key: K) -> Activity | None:
        self._lock(key)
        counted = self.counted(key)
        size = counted.count()
        link = self.link_of(key)
        if size == 0:
            if link is not None:
                link.activity.delete()  # the link goes with it (cascade)
            return None
        wanted = {
            "diplomacy": Diplomacy.STATE,
            "sensitivity": Sensitivity.INTERNAL,
            **self.entry(key, counted, size),
        }
        activity = keep_entry(link.activity if link is not None else None, self.kind, wanted)
        if link is None:
            self.new_link(key, activity)
        return activity


def _day(value: datetime.date | str) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


LabourKey = tuple[int, int, datetime.date]  # responsible unit, agreement, month of departure


class LabourLink(Link[LabourKey]):
    kind = ActivityKind.LABOUR_DISPATCH
    link_model = "LabourDispatch"
    key_fields = ("home_unit_id", "agreement_id", "month")

    def key_of(self, record: LabourRegistration) -> LabourKey | None:
        if (
            record.departed_on is None
            or record.status == LabourStatus.CANCELLED
            or not record.home_unit_id
            or not record.agreement_id
        ):
            return None
        month = _day(record.departed_on).replace(day=1)
        return (record.home_unit_id, record.agreement_id, month)

    def counted(self, key: LabourKey) -> models.QuerySet[Any]:
        from borderlink.people.models import LabourRegistration

        home_unit_id, agreement_id, month = key
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        return LabourRegistration.objects.filter(
            home_unit_id=home_unit_id,
            agreement_id=agreement_id,
            departed_on__gte=month,
            departed_on__lt=following,
        ).exclude(status=LabourStatus.CANCELLED)

    def entry(self, key: LabourKey, counted: models.QuerySet[Any], size: int) -> dict[str, Any]:
        from borderlink.ties.models import Agreement

        home_unit_id, agreement_id, month = key
        agreement = Agreement.objects.get(pk=agreement_id)
        span = counted.aggregate(first=Min("departed_on"), last=Max("departed_on"))
        return {
            "home_unit_id": home_unit_id,
            "agreement_id": agreement_id,
            "counterpart_id": agreement.their_parties.order_by("pk")
            .values_list("pk", flat=True)
            .first(),
            "occurred_on": span["first"],
            "ended_on": span["last"] if span["last"] != span["first"] else None,
            "title": f"{agreement.title_vi[:280]} — {month:%m/%Y}",
            "persons": size,
            "count": 1,
            "direction": Direction.SENT,
        }


ScholarshipKey = tuple[int, int, int, str]  # responsible unit, other side's unit, year, direction


class ScholarshipLink(Link[ScholarshipKey]):
    kind = ActivityKind.SCHOLARSHIP
    link_model = "ScholarshipAwards"
    key_fields = ("home_unit_id", "counterpart_id", "year", "direction")

    def key_of(self, record: Scholarship) -> ScholarshipKey | None:
        if not (record.home_unit_id and record.counterpart_id and record.year and record.direction):
            return None
        return (record.home_unit_id, record.counterpart_id, int(record.year), record.direction)

    def counted(self, key: ScholarshipKey) -> models.QuerySet[Any]:
        from borderlink.people.models import Scholarship

        return Scholarship.objects.filter(**self.by_key(key))  # the link's key is the record's

    def entry(
        self, key: ScholarshipKey, counted: models.QuerySet[Any], size: int
    ) -> dict[str, Any]:
        from borderlink.places.models import Unit

        home_unit_id, counterpart_id, year, direction = key
        counterpart = Unit.objects.get(pk=counterpart_id)
        with translation.override("vi"):  # a ledger title is written once, in Vietnamese
            # Translators: the ledger entry standing for a year's scholarships with one unit.
            title = _("Scholarships: %(direction)s — %(side)s — %(year)s") % {
                "direction": ScholarshipDirection(direction).label,
                "side": counterpart.name_vi or counterpart,
                "year": year,
            }
        # The award is known by its year only: the entry spans the year, dated on its first day.
        return {
            "home_unit_id": home_unit_id,
            "counterpart_id": counterpart_id,
            "occurred_on": datetime.date(year, 1, 1),
            "ended_on": datetime.date(year, 12, 31),
            "title": title[:300],
            "persons": size,
            "count": size,
            "direction": Direction.RECEIVED
            if direction == ScholarshipDirection.RECEIVED
            else Direction.SENT,
        }


LABOUR = LabourLink()
SCHOLARSHIPS = ScholarshipLink()


def count_the_unlinked_scholarships(**kwargs: Any) -> int:
    """After `migrate`: scholarships recorded before they entered the ledger (or loaded without
    save) get their entries. Run with the code and schema of today, not inside a migration that
    later schemas would outgrow; reads no personal data. Returns the groups brought in step."""
    from borderlink.core.context import acting_as
    from borderlink.people.models import Scholarship, ScholarshipAwards

    fields = SCHOLARSHIPS.key_fields
    keys = set(Scholarship.objects.values_list(*fields).distinct())
    missing = keys - set(ScholarshipAwards.objects.values_list(*fields))
    if missing:
        with acting_as(None, reason="scholarships into the ledger"), transaction.atomic():
            SCHOLARSHIPS.sync_keys(*sorted(missing))
    return len(missing)
