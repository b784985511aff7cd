"""Counts for everyone who may see the registers; the seeds' totals as returns; the views log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from borderlink.accounts.models import User
from borderlink.core.roles import Role
from borderlink.people import totals
from tests.people.conftest import NAME, registration

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_the_totals_count_registrations_by_agreement_commune_and_year(
    editor: User, labour_officer: User, client_of: Login
) -> None:
    registration()
    registration(problem_kind="wages")
    registration(status="returned", returned_on="2020-01-01")
    rows = totals.labour_totals(editor)
    mine = [r for r in rows if r.commune and r.commune.code == "VN-C00928" and r.year == 2019]
    assert [(r.workers, r.abroad, r.with_problems) for r in mine] == [(3, 2, 1)]
    assert totals.labour_totals(labour_officer) == rows
    page = client_of(editor).get("/people/totals/").content.decode()
    assert 'id="labour-totals"' in page and NAME not in page


def test_the_seeds_totals_are_declared_returns_not_invented_people(
    editor: User, client_of: Login
) -> None:
    declared = totals.declared_returns(editor, ("labour_dispatch", "scholarship"))
    values = sorted(int(r.value) for r in declared)
    assert values == [2, 158, 2000]
    assert "2.000" in client_of(editor).get("/people/totals/").content.decode()
    assert User.objects.get(username="labour").memberships.get().role == Role.LABOUR


def test_the_views_log_is_for_holders_of_a_personal_data_grant(
    editor: User, labour_officer: User, client_of: Login
) -> None:
    record = registration()
    client_of(labour_officer).get(f"/r/labour-registrations/{record.pk}/")
    assert client_of(editor).get("/people/views/").status_code == 403
    page = client_of(labour_officer).get("/people/views/").content.decode()
    assert "t-labour" in page and NAME not in page
