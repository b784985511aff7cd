"""1,000 entries synced over a connection that fails at random, every batch retried as the device
retries it: no entry lost, none saved twice.

A batch is lost on the way to the server (nothing applied) or on the way back (applied, the
device never hears it), or a batch is cut short (only the first entries reach the server). The
device keeps every entry it has no answer for and sends it again, in order, in the next batch.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from django.db import connection
from django.test import Client
from django.utils import timezone

from borderlink.core.roles import Role
from borderlink.field.models import Submission
from borderlink.ledger.models import Activity
from tests.conftest import make_user

STATION = "VN-02-BGS-THANHTHUY-2025"
BATCH = 25


def test_entries_survive_a_connection_that_fails_at_random(db: None) -> None:
    # The full thousand on PostgreSQL, the system's database; a fifth of it on SQLite.
    total = 1000 if connection.vendor == "postgresql" else 200
    officer = make_user("t-field-faults", Role.STATION, STATION)
    client = Client()
    client.force_login(officer)
    today = timezone.localdate().isoformat()
    run = uuid.uuid4().hex[:8]
    queue: list[dict[str, Any]] = [
        {
            "uuid": str(uuid.uuid4()),
            "form": "letter",
            "data": {
                "home_unit": STATION,
                "occurred_on": today,
                "count": "1",
                "title": f"{run} {n}",
            },
        }
        for n in range(total)
    ]
    faults = random.Random(20251201)
    lost_before = lost_after = cut_short = 0
    for _attempt in range(total):  # a bound: each round either makes progress or is a fault
        if not queue:
            break
        batch = queue[:BATCH]
        fault = faults.random()
        if fault < 0.25:
            lost_before += 1
            continue
        if fault < 0.4:
            cut_short += 1
            batch = batch[: faults.randint(1, len(batch))]
        response = client.post("/field/sync/", {"entries": batch}, content_type="application/json")
        assert response.status_code == 200
        if 0.4 <= fault < 0.65:
            lost_after += 1  # applied on the server; the answer never arrives
            continue
        saved = {r["uuid"] for r in response.json()["results"] if r["status"] == "saved"}
        assert len(saved) == len(batch)
        queue = [e for e in queue if e["uuid"] not in saved]
    assert not queue, f"{len(queue)} entries never acknowledged"
    assert lost_before and lost_after and cut_short  # every kind of fault happened
    titles = list(
        Activity.objects.filter(title__startswith=f"{run} ").values_list("title", flat=True)
    )
    assert len(titles) == total, "entries lost or saved twice"
    assert len(set(titles)) == total
    assert Submission.objects.filter(user=officer).count() == total
