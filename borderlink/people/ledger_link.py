"""Labour registrations enter the ledger as counts: one entry of kind "labour dispatch" per
(responsible unit, agreement, month of departure), its persons the number of workers who left
(cancelled registrations not counted). The statistics engine (labour.workers_sent) then counts
registrations like any activity, and the seeds' declared return covers the entries of its own
unit and period, so nothing is counted twice. The entry names no one.

Written in the registration's transaction: the rollup listening to activity saves moves with it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Max, Min

from borderlink.core.choices import Diplomacy, Sensitivity
from borderlink.ledger.models import Activity, ActivityKind, Direction
from borderlink.people.choices import LabourStatus

if TYPE_CHECKING:
    from borderlink.people.models import LabourRegistration

Key = tuple[int, int, datetime.date]


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def key_of(registration: LabourRegistration) -> Key | None:
    if (
        registration.departed_on is None
        or registration.status == LabourStatus.CANCELLED
        or not registration.home_unit_id
        or not registration.agreement_id
    ):
        return None
    day = registration.departed_on
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return (registration.home_unit_id, registration.agreement_id, _month(day))


def key_of_saved(registration: LabourRegistration) -> Key | None:
    if registration.pk is None:
        return None
    saved = type(registration)._default_manager.filter(pk=registration.pk).first()
    return key_of(saved) if saved is not None else None


def sync_keys(*keys: Key | None) -> None:
    for key in dict.fromkeys(k for k in keys if k is not None):
        sync(key)


def sync(key: Key) -> Activity | None:
    from borderlink.people.models import LabourDispatch, LabourRegistration

    home_unit_id, agreement_id, month = key
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    registrations = LabourRegistration.objects.filter(
        home_unit_id=home_unit_id,
        agreement_id=agreement_id,
        departed_on__gte=month,
        departed_on__lt=following,
    ).exclude(status=LabourStatus.CANCELLED)
    span = registrations.aggregate(first=Min("departed_on"), last=Max("departed_on"))
    workers = registrations.count()
    link = (
        LabourDispatch.objects.filter(
            home_unit_id=home_unit_id, agreement_id=agreement_id, month=month
        )
        .select_related("activity", "agreement")
        .first()
    )
    if workers == 0:
        if link is not None:
            link.activity.delete()  # the link goes with it (cascade)
        return None
    activity = link.activity if link is not None else Activity(kind=ActivityKind.LABOUR_DISPATCH)
    agreement = link.agreement if link is not None else None
    if agreement is None:
        from borderlink.ties.models import Agreement

        agreement = Agreement.objects.get(pk=agreement_id)
    wanted = {
        "home_unit_id": home_unit_id,
        "agreement_id": agreement_id,
        "counterpart_id": agreement.their_parties.order_by("pk")
        .values_list("pk", flat=True)
        .first(),
        "occurred_on": span["first"],
        "ended_on": span["last"] if span["last"] != span["first"] else None,
        "title": f"{agreement.title_vi[:280]} — {month:%m/%Y}",
        "persons": workers,
        "count": 1,
        "direction": Direction.SENT,
        "diplomacy": Diplomacy.STATE,
        "sensitivity": Sensitivity.INTERNAL,
    }
    if activity.pk is None or any(getattr(activity, k) != v for k, v in wanted.items()):
        for name, value in wanted.items():
            setattr(activity, name, value)
        activity.save()
    if link is None:
        LabourDispatch.objects.create(
            home_unit_id=home_unit_id, agreement_id=agreement_id, month=month, activity=activity
        )
    return activity
