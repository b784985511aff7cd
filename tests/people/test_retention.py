"""Retention: closed registrations past the period lose their identities; counts stay whole."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from borderlink.core.history import MASK, history_of
from borderlink.people.crypto import blind_index
from borderlink.people.models import HandoverPerson, LabourRegistration
from tests.people.conftest import ID_NUMBER, NAME, person_at, registration

pytestmark = pytest.mark.django_db
TODAY = "2026-01-10"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("anonymise_people", "--today", TODAY, *args, stdout=out)
    return out.getvalue()


def old_and_new() -> tuple[LabourRegistration, LabourRegistration, LabourRegistration]:
    closed_long_ago = registration(
        status="returned",
        returned_on=datetime.date(2019, 12, 1),
        problem_kind="wages",
        problems="Chủ nợ lương",
        resolution="Đã trả",
    )
    closed_recently = registration(status="returned", returned_on=datetime.date(2025, 12, 1))
    still_working = registration(departed_on=datetime.date(2015, 1, 1))
    return closed_long_ago, closed_recently, still_working


@override_settings(PEOPLE_RETENTION_DAYS=365)
def test_closed_registrations_past_the_period_are_anonymised_and_counts_stay() -> None:
    old, recent, working = old_and_new()
    before = LabourRegistration.objects.count()
    by_status = LabourRegistration.objects.filter(status="returned").count()
    report = run()
    assert "labour-registrations: 1 anonymised" in report and f"no. {old.pk})" in report
    assert NAME not in report and ID_NUMBER not in report
    old.refresh_from_db()
    assert (old.full_name, old.id_number, old.birth_date) == ("", "", None)
    assert old.problems == "" and old.resolution == ""
    assert old.anonymised_on == datetime.date(2026, 1, 10)
    assert old.status == "returned" and old.problem_kind == "wages"  # what counts is kept
    assert old.agreement_id and old.home_commune_id and old.departed_on
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_number, id_number_index FROM {LabourRegistration._meta.db_table} "
            "WHERE id = %s",
            [old.pk],
        )
        assert cursor.fetchone() == ("", "")
    for kept in (recent, working):
        kept.refresh_from_db()
        assert kept.id_number == ID_NUMBER and kept.full_name == NAME
    assert LabourRegistration.objects.count() == before
    assert LabourRegistration.objects.filter(status="returned").count() == by_status
    assert not LabourRegistration.objects.filter(
        pk=old.pk, id_number_index=blind_index(ID_NUMBER)
    ).exists()
    change = history_of(old).filter(reason="anonymise-people").get()
    assert change.changes["full_name"] == [MASK, ""]
    # Run again: nothing left to do.
    assert "0 record(s) anonymised" in run()


@override_settings(PEOPLE_RETENTION_DAYS=365)
def test_a_dry_run_reports_and_changes_nothing() -> None:
    old, _recent, _working = old_and_new()
    report = run("--dry-run")
    assert "1 would be anonymised" in report and f"no. {old.pk})" in report
    old.refresh_from_db()
    assert old.id_number == ID_NUMBER and old.anonymised_on is None


def test_the_period_can_be_given_on_the_command_line() -> None:
    person = person_at("VN-02-BGS-THANHTHUY")  # handed over on 04/05/2020
    assert "handover-persons: 0" in run("--days", "3000")
    assert "handover-persons: 1 anonymised" in run("--days", "30")
    person = HandoverPerson.objects.get(pk=person.pk)
    assert person.full_name == "" and person.nationality == "vn" and person.sex == "female"
