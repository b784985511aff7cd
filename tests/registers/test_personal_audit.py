"""The audit of personal data (registers/personal.py): every register's showings go to one log,
core.models.PersonalDataView, kept in the table it had when it lived in people/."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from borderlink.accounts.models import User
from borderlink.core.models import PersonalDataView
from borderlink.places.models import Unit
from borderlink.registers.personal import recorder, views_of

pytestmark = pytest.mark.django_db


def test_a_showing_is_logged_with_who_how_and_the_records_unit_path(
    vixuyen_officer: User,
) -> None:
    shown, masked = Unit.objects.get(code="VN-C00928"), Unit.objects.get(code="VN-C00715")
    recorder(Unit)(vixuyen_officer, [shown.pk, masked.pk], "list", {shown.pk})
    recorder(Unit)(AnonymousUser(), [shown.pk], "api", set())
    rows = [(v.username, v.how, v.revealed, v.scope_path) for v in views_of(shown)]
    assert sorted(rows) == [("", "api", False, shown.path), ("t-vixuyen", "list", True, shown.path)]
    [other] = views_of(masked)
    assert (other.user, other.revealed, other.scope_path) == (vixuyen_officer, False, masked.path)


def test_the_log_keeps_its_table() -> None:
    assert PersonalDataView._meta.label_lower == "core.personaldataview"
    assert PersonalDataView._meta.db_table == "people_personaldataview"
