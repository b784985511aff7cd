"""The field app's sync: each entry exactly once, through the same gate and form as every page."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from borderlink.accounts.models import User
from borderlink.core.roles import Role
from borderlink.field.models import Submission
from borderlink.ledger.forms import HANDOVER_COUNTS
from borderlink.ledger.models import Activity, HandoverDetail
from borderlink.people.models import HandoverPerson
from borderlink.registers.forms import version_of
from tests import demo_snapshot
from tests.conftest import make_user

STATION = "VN-02-BGS-THANHTHUY-2025"
SYNC = "/field/sync/"


@pytest.fixture
def officer(db: None) -> User:
    return make_user("t-field-station", Role.STATION, STATION)


def client_for(user: User) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def send(client: Client, *entries: dict[str, Any]) -> list[dict[str, Any]]:
    with translation.override("en"):
        response = client.post(SYNC, {"entries": list(entries)}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def letter(**data: Any) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    return {
        "uuid": str(uuid.uuid4()),
        "form": "letter",
        "data": {"home_unit": STATION, "occurred_on": today, "count": "1", **data},
    }


def hand_over(**data: str) -> dict[str, Any]:
    """A hand-over received today at the station (the persons or head count follow it)."""
    today = timezone.localdate().isoformat()
    fields = {"home_unit": STATION, "occurred_on": today, "direction": "received", **data}
    return {"uuid": str(uuid.uuid4()), "form": "handover", "data": fields}


def test_an_entry_sent_twice_is_saved_once(officer: User) -> None:
    client = client_for(officer)
    entry = letter(title="Letter about the market days")
    before = Activity.objects.count()
    first = send(client, entry)
    again = send(client, entry)
    assert first[0]["status"] == "saved" and "replayed" not in first[0], first
    assert again[0]["status"] == "saved" and again[0]["replayed"] is True
    assert again[0]["record"]["id"] == first[0]["record"]["id"]
    assert Activity.objects.count() == before + 1
    saved = Activity.objects.get(pk=first[0]["record"]["id"])
    assert saved.kind == "letter" and saved.home_unit.code == STATION
    assert Submission.objects.filter(uuid=entry["uuid"], user=officer).count() == 1


def test_a_hand_over_and_its_persons_arrive_together(officer: User) -> None:
    client = client_for(officer)
    handover = hand_over(count="3", persons="3")
    persons = [
        {
            "uuid": str(uuid.uuid4()),
            "form": "person",
            "data": {
                "handover": f"@{handover['uuid']}",
                "full_name": f"Nguyễn Văn {n}",
                "nationality": "vn",
                "sex": "male",
            },
        }
        for n in ("An", "Bình", "Cường")
    ]
    results = send(client, handover, *persons)
    assert [r["status"] for r in results] == ["saved"] * 4, results
    activity = Activity.objects.get(pk=results[0]["record"]["id"])
    assert HandoverPerson.objects.filter(handover=activity).count() == 3
    # Sent again, as after a connection cut before the answer: nothing new.
    assert all(r.get("replayed") for r in send(client, handover, *persons))
    assert HandoverPerson.objects.filter(handover=activity).count() == 3


def test_a_hand_over_and_its_head_count_arrive_together_and_a_second_count_is_refused(
    officer: User,
) -> None:
    client = client_for(officer)
    handover = hand_over(count="1", persons="5")

    def head_count(**counts: str) -> dict[str, Any]:
        # As the device sends it: every count, 0 unless typed (the form's starting values).
        zeros = dict.fromkeys(HANDOVER_COUNTS, "0")
        data = {"activity": f"@{handover['uuid']}", **zeros, **counts}
        return {"uuid": str(uuid.uuid4()), "form": "head_count", "data": data}

    results = send(client, handover, head_count(vn_male="3", vn_female="2"))
    assert [r["status"] for r in results] == ["saved", "saved"], results
    counted = HandoverDetail.objects.get(activity_id=results[0]["record"]["id"])
    assert (counted.vn_male, counted.vn_female, counted.total) == (3, 2, 5)
    # One head count per hand-over: a second is refused with a reason, and changes nothing.
    again = send(client, head_count(cn_male="1"))[0]
    assert again["status"] == "refused" and again["errors"], again
    counted.refresh_from_db()
    assert counted.total == 5


def test_a_refused_entry_says_why_keeps_nothing_and_can_be_sent_again_fixed(
    officer: User,
) -> None:
    client = client_for(officer)
    entry = letter(occurred_on="31/02/2026")
    child = {
        "uuid": str(uuid.uuid4()),
        "form": "person",
        "data": {"handover": f"@{entry['uuid']}", "full_name": "X", "nationality": "vn"},
    }
    refused, waiting = send(client, entry, child)
    assert refused["status"] == "refused" and "occurred_on" in refused["errors"]
    assert waiting["status"] == "waiting" and "handover" in waiting["errors"]
    assert not Submission.objects.filter(uuid=entry["uuid"]).exists()
    entry["data"]["occurred_on"] = timezone.localdate().isoformat()
    assert send(client, entry)[0]["status"] == "saved"


def test_a_link_outside_the_users_scope_is_refused_without_naming_it(officer: User) -> None:
    client = client_for(officer)
    other = Activity.objects.exclude(home_unit__code=STATION).first()
    assert other is not None
    entry = {
        "uuid": str(uuid.uuid4()),
        "form": "person",
        "data": {"handover": str(other.pk), "full_name": "X", "nationality": "vn"},
    }
    result = send(client, entry)[0]
    assert result["status"] == "refused"
    assert other.title not in json.dumps(result, ensure_ascii=False)


def test_recording_for_a_unit_outside_ones_reach_is_refused(officer: User) -> None:
    result = send(client_for(officer), letter(home_unit="VN-P02"))[0]
    assert result["status"] == "refused" and "home_unit" in result["errors"]


def test_a_change_made_offline_after_a_change_on_the_server_is_a_conflict(
    officer: User,
) -> None:
    client = client_for(officer)
    saved = send(client, letter(title="First title"))[0]["record"]
    activity = Activity.objects.get(pk=saved["id"])
    taken = version_of(activity)
    activity.title = "Changed at the office"
    activity.save()
    change = {
        "uuid": str(uuid.uuid4()),
        "register": "activities",
        "record": activity.pk,
        "version": taken,
        "data": {"title": "Changed at the station"},
    }
    conflict = send(client, change)[0]
    assert conflict["status"] == "conflict"
    assert conflict["server"]["values"]["title"] == "Changed at the office"
    activity.refresh_from_db()
    assert activity.title == "Changed at the office"  # nothing overwritten silently
    # The officer keeps theirs: sent again from the server's version.
    change["version"] = conflict["server"]["version"]
    assert send(client, change)[0]["status"] == "saved"
    activity.refresh_from_db()
    assert activity.title == "Changed at the station"


def test_another_users_identifier_is_refused_and_discloses_nothing(officer: User) -> None:
    entry = letter(title="Mine")
    send(client_for(officer), entry)
    stranger = make_user("t-field-other", Role.STATION, STATION)
    result = send(client_for(stranger), entry)[0]
    assert result["status"] == "refused" and "record" not in result


def test_without_a_session_the_device_is_told_to_log_in_and_nothing_is_applied(
    db: None,
) -> None:
    response = Client().post(SYNC, {"entries": [letter()]}, content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "body",
    [b"not json", b"{}", json.dumps({"entries": [{"uuid": "x", "data": {}}]}).encode()],
)
def test_a_malformed_batch_is_refused_whole(officer: User, body: bytes) -> None:
    before = Activity.objects.count()
    response = client_for(officer).post(SYNC, body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]
    assert Activity.objects.count() == before


def test_the_scope_holds_the_forms_and_the_users_own_reference_data(officer: User) -> None:
    client = client_for(officer)
    with translation.override("en"):
        response = client.get("/field/scope.json")
    body = response.json()
    keys = [f["key"] for f in body["forms"]]
    assert {"letter", "handover", "head_count", "person", "inspection", "marker_check"} <= set(keys)
    head_count = next(f for f in body["forms"] if f["key"] == "head_count")
    assert head_count["single"] and head_count["parent_field"] == "activity"
    assert head_count["defaults"]["vn_male"] == "0"  # a count starts at 0, not empty
    assert [f["name"] for f in head_count["fields"]][:2] == ["vn_male", "vn_female"]
    letter_form = next(f for f in body["forms"] if f["key"] == "letter")
    assert [c for c, _label in body["options"]["activities.home_unit"]] == [STATION]
    assert letter_form["defaults"].get("counterpart")  # from the station's partnership
    person = next(f for f in body["forms"] if f["key"] == "person")
    assert "full_name" in person["personal"]
    # The same version answers "not modified": a device on a slow link downloads nothing.
    again = client.get("/field/scope.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db(transaction=True)
def test_the_same_entry_sent_twice_at_once_makes_one_record() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: the race needs PostgreSQL")
    demo_snapshot.ensure_demo()
    officer = make_user("t-field-race", Role.STATION, STATION)
    entry = letter(title="Raced")
    barrier = threading.Barrier(4)
    results: list[dict[str, Any]] = []

    def post() -> None:
        client = client_for(officer)
        barrier.wait()
        results.extend(send(client, entry))
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r["status"] for r in results] == ["saved"] * 4
    assert len({r["record"]["id"] for r in results}) == 1
    assert Activity.objects.filter(title="Raced").count() == 1


def cell(day: str, column: str, value: str, was: int | None) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "register": "log-sheet",
        "cell": {"unit": STATION, "day": day, "column": column, "value": value},
        "version": was,
        "data": {"value": value},
    }


def test_a_log_sheet_cell_written_offline_is_one_entry_and_a_changed_cell_a_conflict(
    officer: User,
) -> None:
    client = client_for(officer)
    day = timezone.localdate().isoformat()
    first = cell(day, "letters_sent", "3", None)
    assert send(client, first)[0]["status"] == "saved"
    assert send(client, first)[0].get("replayed")  # sent again: nothing more
    entries = Activity.objects.filter(
        home_unit__code=STATION, occurred_on=day, kind="letter", direction="sent"
    )
    assert [a.count for a in entries] == [3]
    # The office changed the cell to 5 while the device, which saw 3, typed 4.
    entry = entries.get()
    entry.count = 5
    entry.save()
    conflict = send(client, cell(day, "letters_sent", "4", 3))[0]
    assert conflict["status"] == "conflict" and conflict["server"]["values"]["value"] == 5
    assert entries.get().count == 5
    kept = cell(day, "letters_sent", "4", conflict["server"]["version"])  # "keep mine"
    assert send(client, kept)[0]["status"] == "saved"
    assert entries.get().count == 4


def test_a_log_sheet_of_a_unit_out_of_reach_is_refused_without_naming_it(officer: User) -> None:
    entry = cell(timezone.localdate().isoformat(), "letters_sent", "1", None)
    entry["cell"]["unit"] = "VN-P02"
    result = send(client_for(officer), entry)[0]
    assert result["status"] == "refused"
    assert "Hà Giang" not in json.dumps(result, ensure_ascii=False)


def test_the_scope_holds_this_months_log_sheet(officer: User) -> None:
    body = client_for(officer).get("/field/scope.json").json()
    month = timezone.localdate().strftime("%Y-%m")
    sheets = [s for s in body["sheets"] if s["unit"] == STATION and s["month"] == month]
    assert len(sheets) == 1
    assert len(sheets[0]["days"][0]["values"]) == len(body["sheet_columns"])


def test_only_the_records_own_date_starts_as_today(officer: User) -> None:
    forms = {f["key"]: f for f in client_for(officer).get("/field/scope.json").json()["forms"]}
    assert forms["letter"]["date_field"] == "occurred_on"
    assert forms["person"]["date_field"] == ""  # a birth date is never today by default
