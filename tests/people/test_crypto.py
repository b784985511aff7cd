"""Personal data at rest: ciphertext in the column, clear value in Python, exact search by the
blind index, a clear error without a key."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from borderlink.core.models import ChangeRecord
from borderlink.people import crypto
from borderlink.people.models import LabourRegistration
from tests.people.conftest import BIRTH, ID_NUMBER, registration

pytestmark = pytest.mark.django_db


def raw_row(pk: int) -> tuple[str, str, str]:
    table = LabourRegistration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_number, birth_date, id_number_index FROM {table} WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def test_the_database_column_holds_no_clear_id_number_or_date_of_birth() -> None:
    record = registration()
    id_column, birth_column, index_column = raw_row(record.pk)
    assert ID_NUMBER not in id_column and id_column.startswith(crypto.PREFIX)
    assert BIRTH.isoformat() not in birth_column and "1994" not in birth_column
    assert ID_NUMBER not in index_column and len(index_column) == 64
    fresh = LabourRegistration.objects.get(pk=record.pk)
    assert fresh.id_number == ID_NUMBER
    assert fresh.birth_date == BIRTH


def test_the_same_number_encrypts_differently_but_indexes_the_same() -> None:
    first, second = registration(), registration()
    assert raw_row(first.pk)[0] != raw_row(second.pk)[0]
    assert raw_row(first.pk)[2] == raw_row(second.pk)[2] == crypto.blind_index(ID_NUMBER)


def test_an_id_number_is_found_by_its_blind_index_however_it_is_typed() -> None:
    record = registration()
    registration(id_number="001100223344")
    spaced = "002 198-765 432"
    found = LabourRegistration.objects.filter(id_number_index=crypto.blind_index(spaced))
    assert list(found) == [record]
    assert crypto.blind_index("") == ""


def test_a_changed_id_number_gets_a_new_index() -> None:
    record = registration()
    record.id_number = "079123456789"
    record.save()
    assert raw_row(record.pk)[2] == crypto.blind_index("079123456789")
    record.id_number = ""
    record.save()
    id_column, _birth, index_column = raw_row(record.pk)
    assert id_column == "" and index_column == ""


def test_another_key_cannot_read_the_values_and_says_so_without_the_value() -> None:
    record = registration()
    with override_settings(PERSONAL_DATA_KEY="another-key-of-at-least-thirty-two-chars!"):
        with pytest.raises(crypto.DecryptionError) as error:
            LabourRegistration.objects.get(pk=record.pk)
        assert ID_NUMBER not in str(error.value)


def test_an_old_key_still_decrypts_after_a_rotation() -> None:
    from django.conf import settings

    old = settings.PERSONAL_DATA_KEY
    record = registration()
    with override_settings(
        PERSONAL_DATA_KEY="the-new-key-of-at-least-thirty-two-chars", PERSONAL_DATA_OLD_KEYS=[old]
    ):
        assert LabourRegistration.objects.get(pk=record.pk).id_number == ID_NUMBER


def test_a_missing_or_short_key_is_a_clear_configuration_error() -> None:
    with (
        override_settings(PERSONAL_DATA_KEY=""),
        pytest.raises(ImproperlyConfigured, match="PERSONAL_DATA_KEY is not set"),
    ):
        crypto.encrypt("x")
    with (
        override_settings(PERSONAL_DATA_KEY="short"),
        pytest.raises(ImproperlyConfigured, match="too short"),
    ):
        crypto.blind_index("x")


def test_production_refuses_to_start_without_the_personal_data_key() -> None:
    env = {
        **os.environ,
        "BORDERLINK_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "x",
        "PERSONAL_DATA_KEY": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import borderlink.settings"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEY must be set" in result.stderr
    env["PERSONAL_DATA_KEY"] = "k" * 40
    ok = subprocess.run(
        [sys.executable, "-c", "import borderlink.settings"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr


def test_a_date_of_birth_round_trips_through_a_form_value() -> None:
    record = registration(birth_date="2001-02-03")
    assert LabourRegistration.objects.get(pk=record.pk).birth_date == datetime.date(2001, 2, 3)


def test_a_rotation_moves_every_value_and_index_to_the_new_key() -> None:
    """After a key change, old records decrypt but an exact search by ID number misses them;
    `rotate-personal-data` re-encrypts and re-indexes them, after which the old key can go."""
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command

    old = settings.PERSONAL_DATA_KEY
    record = registration()
    new = "the-new-key-of-at-least-thirty-two-chars"
    with override_settings(PERSONAL_DATA_KEY=new, PERSONAL_DATA_OLD_KEYS=[old]):
        index = crypto.blind_index(ID_NUMBER)
        assert not LabourRegistration.objects.filter(id_number_index=index).exists()
        out = StringIO()
        call_command("rotate_personal_data", "--check", stdout=out)
        assert "people.LabourRegistration: 1 of 1 under an old key" in out.getvalue()
        history = ChangeRecord.objects.count()
        updated = LabourRegistration.objects.get(pk=record.pk).updated_at
        call_command("rotate_personal_data", stdout=StringIO())
        found = LabourRegistration.objects.get(id_number_index=index)
        assert found.pk == record.pk and found.updated_at == updated
        assert ChangeRecord.objects.count() == history  # nothing the user typed changed
        out = StringIO()
        call_command("rotate_personal_data", "--check", stdout=out)
        assert "Every record is under the current key." in out.getvalue()
    with override_settings(PERSONAL_DATA_KEY=new, PERSONAL_DATA_OLD_KEYS=[]):
        again = LabourRegistration.objects.get(pk=record.pk)
        assert (again.id_number, again.birth_date) == (ID_NUMBER, BIRTH)
