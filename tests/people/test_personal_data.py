"""Identities: shown only where a role holds the personal-data grant, masked everywhere else
(pages, exports, API, history), searchable by exact ID number only by those who may see it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from borderlink.accounts.models import User
from borderlink.core.history import MASK, history_of
from borderlink.people.models import LabourRegistration
from borderlink.registers.personal import views_of
from tests.people.conftest import BIRTH, ID_NUMBER, NAME, person_at, registration
from tests.registers.test_generic import api

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def exported(client: Client, slug: str, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/r/{slug}/?export=csv&columns=codes{query}")  # keyed by field
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_labour_officer_sees_identities_on_the_page_the_list_and_the_export(
    labour_officer: User, client_of: Login
) -> None:
    record = registration()
    client = client_of(labour_officer)
    page = client.get(f"/r/labour-registrations/{record.pk}/").content.decode()
    assert NAME in page and ID_NUMBER in page
    assert NAME in client.get("/r/labour-registrations/").content.decode()
    rows = [r for r in exported(client, "labour-registrations") if r["full_name"] == NAME]
    assert rows and rows[0]["id_number"] == ID_NUMBER
    assert rows[0]["birth_date"] == BIRTH.isoformat()


def test_an_editor_sees_masked_values_and_the_counts(editor: User, client_of: Login) -> None:
    record = registration(problems="Bị nợ lương ba tháng", problem_kind="wages")
    client = client_of(editor)
    page = client.get(f"/r/labour-registrations/{record.pk}/").content.decode()
    assert MASK in page
    for secret in (NAME, ID_NUMBER, "Bị nợ lương", "12/07/1994", "1994"):
        assert secret not in page, secret
    listing = client.get("/r/labour-registrations/").content.decode()
    assert NAME not in listing and f"/r/labour-registrations/{record.pk}/" in listing
    rows = exported(client, "labour-registrations")
    assert len(rows) == LabourRegistration.objects.count()  # the counts stay whole
    mine = [r for r in rows if r["employer"] == "Công ty TNHH Thử"]
    assert mine and {mine[0][n] for n in ("full_name", "id_number", "birth_date")} == {MASK}
    assert mine[0]["problem_kind"] == "wages" and mine[0]["problems"] == MASK
    xlsx = client.get("/r/labour-registrations/?export=xlsx").content
    assert ID_NUMBER.encode() not in xlsx


def test_the_api_masks_identities_for_an_editor_and_not_for_a_labour_officer(
    editor: User, labour_officer: User
) -> None:
    record = registration()
    masked = api(editor).get(f"/api/labour-registrations/{record.pk}/").json()
    assert masked["full_name"] == MASK and masked["id_number"] == MASK
    assert ID_NUMBER not in str(api(editor).get("/api/labour-registrations/").json())
    clear = api(labour_officer).get(f"/api/labour-registrations/{record.pk}/").json()
    assert clear["full_name"] == NAME and clear["id_number"] == ID_NUMBER


def test_an_editor_can_neither_read_nor_overwrite_identities_through_the_forms(
    editor: User, client_of: Login
) -> None:
    record = registration()
    client = client_of(editor)
    form = client.get(f"/r/labour-registrations/{record.pk}/edit/").content.decode()
    assert NAME not in form and ID_NUMBER not in form and 'name="id_number"' not in form
    data = {
        "agreement": str(record.agreement_id),
        "home_unit": "VN-D030",
        "home_commune": "VN-C00928",
        "employer": "Công ty mới",
        "departed_on": "2019-03-01",
        "status": "working",
        "id_number": "999999999999",
        "full_name": "Someone Else",
    }
    assert client.post(f"/r/labour-registrations/{record.pk}/edit/", data).status_code == 302
    record.refresh_from_db()
    assert record.employer == "Công ty mới"
    assert record.id_number == ID_NUMBER and record.full_name == NAME
    patched = api(editor).patch(
        f"/api/labour-registrations/{record.pk}/",
        {"id_number": "888888888888"},
        content_type="application/json",
        HTTP_IF_MATCH="*",
    )
    assert patched.status_code == 200
    record.refresh_from_db()
    assert record.id_number == ID_NUMBER


def test_exact_id_search_finds_for_the_labour_officer_and_is_no_oracle_for_others(
    editor: User, labour_officer: User, client_of: Login
) -> None:
    record = registration()
    registration(id_number="001100223344")
    url = f"/r/labour-registrations/{record.pk}/"
    found = client_of(labour_officer).get("/r/labour-registrations/?q=002 198 765 432")
    assert url in found.content.decode()
    assert f'/r/labour-registrations/{record.pk + 1}/"' not in found.content.decode()
    assert (
        url not in client_of(editor).get(f"/r/labour-registrations/?q={ID_NUMBER}").content.decode()
    )
    ids = [
        r["id"]
        for r in api(editor).get(f"/api/labour-registrations/?q={ID_NUMBER}").json()["results"]
    ]
    assert record.pk not in ids
    mine = api(labour_officer).get(f"/api/labour-registrations/?q={ID_NUMBER}").json()["results"]
    assert [r["id"] for r in mine] == [record.pk]


def test_every_view_of_a_persons_record_is_recorded(
    editor: User, labour_officer: User, client_of: Login
) -> None:
    record = registration()
    client_of(editor).get(f"/r/labour-registrations/{record.pk}/")
    client_of(labour_officer).get(f"/r/labour-registrations/{record.pk}/")
    api(labour_officer).get(f"/api/labour-registrations/{record.pk}/")
    exported(client_of(labour_officer), "labour-registrations")
    seen = [(v.username, v.how, v.revealed) for v in views_of(record).order_by("id")]
    assert seen == [
        ("t-editor", "detail", False),
        ("t-labour", "detail", True),
        ("t-labour", "api", True),
        ("t-labour", "export", True),
    ]
    assert views_of(record).first().scope_path == record.home_unit.path  # type: ignore[union-attr]


def test_the_change_history_and_record_labels_carry_no_identity() -> None:
    record = registration()
    record.id_number = "079123456789"
    record.save()
    for change in history_of(record):
        text = str(change.changes) + change.object_repr
        for secret in (NAME, ID_NUMBER, "079123456789", BIRTH.isoformat()):
            assert secret not in text
    update = history_of(record).filter(action="update").get()
    assert update.changes == {"id_number": [MASK, MASK]}
    assert NAME not in str(record) and ID_NUMBER not in repr(record)


def test_the_sql_sent_to_the_database_carries_no_clear_id_number_or_birth_date() -> None:
    with CaptureQueriesContext(connection) as queries:
        registration()
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert ID_NUMBER not in sql and BIRTH.isoformat() not in sql


def test_a_station_officer_sees_the_persons_of_their_own_station_only(
    station_officer: User, other_station_officer: User, editor: User, client_of: Login
) -> None:
    person = person_at("VN-02-BGS-THANHTHUY")
    url = f"/r/handover-persons/{person.pk}/"
    own = client_of(station_officer).get(url).content.decode()
    assert NAME in own and ID_NUMBER in own
    assert client_of(other_station_officer).get(url).status_code == 404
    theirs = person_at("VN-02-BGS-XINMAN")
    assert client_of(station_officer).get(f"/r/handover-persons/{theirs.pk}/").status_code == 404
    masked = client_of(editor).get(url).content.decode()
    assert NAME not in masked and ID_NUMBER not in masked and MASK in masked


def test_a_person_of_a_confidential_hand_over_is_confidential_too(
    vixuyen_officer: User, client_of: Login
) -> None:
    person = person_at("VN-D030")
    assert client_of(vixuyen_officer).get(f"/r/handover-persons/{person.pk}/").status_code == 200
    handover = person.handover
    handover.sensitivity = 2
    handover.save()
    person.save()
    assert client_of(vixuyen_officer).get(f"/r/handover-persons/{person.pk}/").status_code == 404


def test_a_district_officer_records_a_registration_without_entering_identities(
    vixuyen_officer: User, client_of: Login
) -> None:
    client = client_of(vixuyen_officer)
    form = client.get("/r/labour-registrations/new/").content.decode()
    assert 'name="id_number"' not in form and 'name="employer"' in form


def test_the_persons_recorded_cannot_outnumber_the_hand_overs_head_count() -> None:
    from borderlink.registers.forms import form_class
    from borderlink.registers.spec import get_register

    person = person_at("VN-02-BGS-THANHTHUY")  # its hand-over counts 1 person
    data = {"handover": str(person.handover_id), "nationality": "vn", "full_name": "Người thứ hai"}
    form = form_class(get_register("handover-persons"))(data=data)
    assert not form.is_valid() and "handover" in form.errors
    edit = form_class(get_register("handover-persons"))(data=data, instance=person)
    assert edit.is_valid(), edit.errors
