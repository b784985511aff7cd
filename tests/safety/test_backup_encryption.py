"""Backups are encrypted under the operator's key (core/backup_encryption.py): the file holds no
personal data, secret or session in clear; personal data stays the stored ciphertext even inside;
sessions are left out; a wrong key, a damaged or cut-off file, or a server that could not read the
restored personal data is refused before anything changes."""

from __future__ import annotations

import datetime
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils.translation import override

from borderlink.accounts.models import TotpDevice, User
from borderlink.core import backup_encryption
from borderlink.people.models import LabourRegistration
from borderlink.places.models import Unit
from borderlink.ties.models import Agreement
from tests.safety.backups import KEY, clear_archive, database_dump

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("Giàng Thị Sính", "031987654321", datetime.date(1987, 3, 14)),
    ("Lò Văn Pảo", "B76543210", datetime.date(2001, 11, 2)),
]
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
QUIET = {"stdout": io.StringIO()}


def _people() -> list[LabourRegistration]:
    agreement = Agreement.objects.filter(domain="labour").earliest("pk")
    return [
        LabourRegistration.objects.create(
            agreement=agreement,
            home_unit=Unit.objects.get(code="VN-D030"),
            home_commune=Unit.objects.get(code="VN-C00928"),
            full_name=name,
            id_number=number,
            birth_date=born,
            employer="Công ty TNHH Thử",
            status="working",
        )
        for name, number, born in PEOPLE
    ]


def _clear_forms(born: datetime.date) -> list[bytes]:
    return [
        born.isoformat().encode(),
        born.strftime("%d/%m/%Y").encode(),
        born.strftime("%Y%m%d").encode(),
    ]


def _stored(registration: LabourRegistration, column: str) -> str:
    table = connection.ops.quote_name(LabourRegistration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",
            [registration.pk],
        )
        return str(cursor.fetchone()[0])


@pytest.fixture
def secrets_and_session() -> tuple[User, str]:
    """An administrator with an authenticator, logged in: a password hash, a TOTP secret and a
    live session are in the database."""
    admin = User.objects.create_user("t-backup-admin", password="pw-for-tests-only")
    TotpDevice.objects.create(user=admin, secret=TOTP_SECRET, confirmed=True)
    client = Client()
    client.force_login(admin)
    return admin, client.session.session_key or ""


def _backup(path: Path, *args: str) -> None:
    call_command("backup", str(path), *args, **QUIET)


def _restore_refused(path: Path, *expected: str, args: tuple[str, ...] = ()) -> None:
    with pytest.raises(CommandError) as refused, override("en"):
        call_command("restore", str(path), "--noinput", *args, **QUIET)
    message = str(refused.value)
    assert "Nothing was changed" in message, message
    for text in expected:
        assert text in message, message


def test_the_archive_holds_no_personal_data_secret_or_session_in_clear(
    tmp_path: Path, secrets_and_session: tuple[User, str]
) -> None:
    admin, session_key = secrets_and_session
    registrations = _people()
    path = tmp_path / "backup.blbak"
    _backup(path)

    data = path.read_bytes()
    assert data.startswith(backup_encryption.MAGIC)
    assert not zipfile.is_zipfile(path)
    # Ciphertext does not compress: nothing after the header is readable structure.
    body = data[100:]
    assert len(zlib.compress(body, 9)) > 0.99 * len(body)
    secrets = [TOTP_SECRET.encode(), admin.password.encode(), session_key.encode()]
    for name, number, born in PEOPLE:
        for needle in [name.encode(), number.encode(), *_clear_forms(born), *secrets]:
            assert needle not in data, needle

    # Inside the encryption: names as the database keeps them (clear), so the check above had
    # something to find; ID numbers and birth dates only as their stored ciphertext; the
    # authenticator secret kept (a restore must not lock administrators out); no session.
    inner = clear_archive(path)
    with zipfile.ZipFile(io.BytesIO(inner)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        tables = b"".join(archive.read(f"tables/{t}.jsonl") for t in manifest["tables"])
    assert manifest["format"] == 2
    assert "django_session" not in manifest["tables"]
    assert session_key.encode() not in tables
    assert TOTP_SECRET.encode() in tables
    for registration, (name, number, born) in zip(registrations, PEOPLE, strict=True):
        assert name.encode() in tables
        assert number.encode() not in tables
        for needle in _clear_forms(born):
            assert needle not in tables
        for column in ("id_number", "birth_date"):
            stored = _stored(registration, column)
            assert stored.startswith("f1:")
            assert stored.encode() in tables  # copied as stored, never decrypted


def test_a_round_trip_restores_the_people_exactly_and_logs_everybody_out(
    tmp_path: Path, secrets_and_session: tuple[User, str]
) -> None:
    registrations = _people()
    before = database_dump()
    path = tmp_path / "backup.blbak"
    _backup(path)

    LabourRegistration.objects.filter(pk=registrations[0].pk).update(full_name="đổi")
    registrations[1].id_number = "000000000000"
    registrations[1].save()
    assert database_dump() != before

    call_command("restore", str(path), "--noinput", **QUIET)
    assert database_dump() == before
    for registration, (name, number, born) in zip(registrations, PEOPLE, strict=True):
        registration.refresh_from_db()
        assert (registration.full_name, registration.id_number, registration.birth_date) == (
            name,
            number,
            born,
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_session")
        assert cursor.fetchone()[0] == 0
    assert TotpDevice.objects.get(user__username="t-backup-admin").secret == TOTP_SECRET


def _chunk_starts(data: bytes) -> list[int]:
    """Where each encrypted part begins (after the header and the key check)."""
    position = len(backup_encryption.MAGIC) + struct.calcsize(">BBBB16s") + 32
    starts = []
    while position < len(data):
        starts.append(position)
        (length,) = struct.unpack(">I", data[position : position + 4])
        position += 4 + length
    assert position == len(data)
    return starts


def test_a_wrong_key_or_a_damaged_file_is_refused_with_nothing_changed(
    tmp_path: Path, settings: Any
) -> None:
    _people()
    path = tmp_path / "backup.blbak"
    _backup(path)
    data = path.read_bytes()
    starts = _chunk_starts(data)
    before = database_dump()

    settings.BACKUP_KEY = "another-key-of-the-right-length-but-not-it"
    _restore_refused(path, "not the one this backup was made with")
    settings.BACKUP_KEY = KEY

    def refused(name: str, damaged: bytes, *expected: str) -> None:
        target = tmp_path / name
        target.write_bytes(damaged)
        _restore_refused(target, *expected)

    refused("half.blbak", data[: len(data) // 2], "damaged")
    refused("no-last-part.blbak", data[: starts[-1]], "truncated")
    refused("header-only.blbak", data[:20], "damaged")
    refused("empty.blbak", b"", "not an encrypted BorderLink backup")
    middle = starts[0] + 4 + 100
    flipped = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]
    refused("flipped.blbak", flipped, "damaged", "part 1")
    refused("appended.blbak", data + b"\x00" * 8, "damaged")
    salt = len(backup_encryption.MAGIC) + 4
    refused("salt.blbak", data[:salt] + bytes([data[salt] ^ 1]) + data[salt + 1 :], "header")
    if len(starts) > 1:  # parts swapped: each is bound to its place
        end = starts[2] if len(starts) > 2 else len(data)
        first, second = data[starts[0] : starts[1]], data[starts[1] : end]
        swapped = data[: starts[0]] + second + first + data[end:]
        refused("swapped.blbak", swapped, "damaged")
    assert database_dump() == before


def test_no_key_or_a_short_key_writes_no_backup(tmp_path: Path, settings: Any) -> None:
    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="BACKUP_KEY"), override("en"):
        _backup(tmp_path / "backup.blbak")
    settings.BACKUP_KEY = "short"
    with pytest.raises(CommandError, match="too short"), override("en"):
        _backup(tmp_path / "backup.blbak")
    assert list(tmp_path.iterdir()) == []  # not even a part-written file
    settings.BACKUP_KEY = KEY
    with pytest.raises(CommandError, match="cannot be read"), override("en"):
        _backup(tmp_path / "backup.blbak", "--key-file", str(tmp_path / "missing.key"))


def test_the_key_can_come_from_a_file(tmp_path: Path, settings: Any) -> None:
    key_file = tmp_path / "backup.key"
    key_file.write_text(KEY + "\n")
    settings.BACKUP_KEY = ""
    settings.BACKUP_KEY_FILE = str(key_file)
    first = tmp_path / "from-setting.blbak"
    _backup(first)
    settings.BACKUP_KEY_FILE = ""
    second = tmp_path / "from-option.blbak"
    _backup(second, "--key-file", str(key_file))
    for path in (first, second):
        with zipfile.ZipFile(io.BytesIO(clear_archive(path, KEY))) as archive:
            assert json.loads(archive.read("manifest.json"))["format"] == 2
    assert first.read_bytes()[:60] != second.read_bytes()[:60]  # a fresh salt every time


def test_a_server_that_could_not_read_the_personal_data_refuses_the_restore(
    tmp_path: Path, settings: Any
) -> None:
    _people()
    path = tmp_path / "backup.blbak"
    _backup(path)
    before = database_dump()
    settings.PERSONAL_DATA_KEY = "a-different-personal-data-key-0123456789"
    settings.PERSONAL_DATA_OLD_KEYS = []
    _restore_refused(path, "PERSONAL_DATA_KEY")
    assert database_dump() == before
