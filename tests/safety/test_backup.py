"""`borderlink backup` / `borderlink restore`: the restored system holds exactly what the original
did — every table row for row (sessions excepted), every file byte for byte — and a damaged or
mismatched archive is refused with nothing changed. Encryption itself: test_backup_encryption.py."""

from __future__ import annotations

import datetime
import decimal
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, TypedDict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import override

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.models import ChangeRecord
from borderlink.places.models import Unit
from borderlink.registers.models import ImportJob
from borderlink.stats.models import ExchangeRate
from tests.conftest import IN_CI
from tests.safety.backups import KEY, clear_archive, database_dump, open_clear, seal

pytestmark = pytest.mark.django_db


def media_dump(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    (root / "markers" / "2025").mkdir(parents=True)
    (root / "markers" / "2025" / "mốc-1.jpg").write_bytes(bytes(range(256)) * 40)
    (root / "agreements" / "văn bản.pdf").parent.mkdir()
    (root / "agreements" / "văn bản.pdf").write_bytes(b"%PDF-1.4\n\x00\xff" + "Hà Giang".encode())
    (root / "empty.txt").write_bytes(b"")
    return root


def awkward_records() -> None:
    """Values that break naive copies: binary with NUL, JSON with every kind, decimals with
    trailing zeros, microseconds, non-BMP text."""
    user = User.objects.create_user("t-backup", password="pw-for-tests-only")
    ImportJob.objects.create(
        register="activities",
        user=user,
        filename="nhật ký 𠀋.csv",
        content=b"\x00\x01\xfe\xffkind,title\n" * 50,
        status=ImportJob.Status.DONE,
        errors=[{"row": 2, "message": "Sai “mã”", "nested": {"n": None, "f": 1.5, "b": True}}],
    )
    ExchangeRate.objects.create(
        currency="CNY",
        quote="VND",
        rate=decimal.Decimal("3456.780000"),
        on=datetime.date(2024, 2, 29),
    )
    with acting_as(user, reason="test"):
        unit = Unit.objects.get(code="VN-D030")
        unit.name_en = "Vi Xuyen 𠀋 district"
        unit.save()


def test_a_restore_brings_back_every_table_row_for_row_and_every_file_byte_for_byte(
    media: Path, tmp_path: Path
) -> None:
    awkward_records()
    before, files_before = database_dump(), media_dump(media)
    assert sum(len(rows) for rows in before.values()) > 1000  # the demo is there

    archive = tmp_path / "borderlink.zip"
    call_command("backup", str(archive), stdout=open("/dev/null", "w"))  # noqa: SIM115

    # Everything changes afterwards: rows deleted, changed and added, files lost and added.
    ChangeRecord.objects.filter(pk__in=ChangeRecord.objects.values("pk")[:50]).delete()
    Unit.objects.filter(code="VN-D030").update(name_vi="hỏng")
    ImportJob.objects.all().delete()
    User.objects.create_user("t-after", password="pw-for-tests-only")
    (media / "markers" / "2025" / "mốc-1.jpg").unlink()
    (media / "stray.txt").write_text("not in the backup")
    assert database_dump() != before

    call_command("restore", str(archive), "--noinput", stdout=open("/dev/null", "w"))  # noqa: SIM115

    after = database_dump()
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], table
    assert media_dump(media) == files_before

    # Sequences continue past the restored ids: new records save.
    newest = User.objects.order_by("-pk").first()
    assert newest is not None
    assert User.objects.create_user("t-new", password="pw-for-tests-only").pk > newest.pk
    with acting_as(None, reason="test"):
        Unit.objects.get(code="VN-D030").save()


def _rewrite(source: Path, target: Path, change: Any) -> None:
    """Copy an archive, letting `change(name, data)` alter each member (None drops it); the copy
    is encrypted under the right key, so only the checks inside can refuse it."""
    out = io.BytesIO()
    with open_clear(source) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = change(item.filename, old.read(item.filename))
            if data is not None:
                new.writestr(item.filename, data)
    seal(out.getvalue(), target)


@pytest.fixture
def archive(media: Path, tmp_path: Path) -> Path:
    path = tmp_path / "good.zip"
    call_command("backup", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    return path


def _refused(path: Path, *expected: str) -> None:
    before = database_dump()
    with pytest.raises(CommandError) as refused, override("en"):
        call_command("restore", str(path), "--noinput")
    for text in expected:
        assert text in str(refused.value)
    assert "Nothing was changed" in str(refused.value) or "not a BorderLink backup" in str(
        refused.value
    )
    assert database_dump() == before


def test_a_damaged_table_is_refused_before_anything_changes(
    archive: Path, tmp_path: Path, media: Path
) -> None:
    damaged = tmp_path / "damaged.zip"

    def flip(name: str, data: bytes) -> bytes:
        if name == "tables/places_unit.jsonl":
            return data.replace(b"Thanh Th", b"Thanh Tx", 1)
        return data

    _rewrite(archive, damaged, flip)
    (media / "stray.txt").write_text("kept")
    _refused(damaged, "damaged", "places_unit")
    assert (media / "stray.txt").read_text() == "kept"


def test_a_damaged_file_a_missing_member_and_a_truncated_archive_are_refused(
    archive: Path, tmp_path: Path
) -> None:
    bad_file = tmp_path / "bad-file.zip"
    _rewrite(archive, bad_file, lambda n, d: d + b"!" if n.startswith("media/empty") else d)
    _refused(bad_file, "empty.txt")

    missing = tmp_path / "missing.zip"
    _rewrite(archive, missing, lambda n, d: None if n == "tables/accounts_user.jsonl" else d)
    _refused(missing, "missing")

    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _refused(truncated, "Nothing was changed")

    not_ours = tmp_path / "other.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hi")
    seal(buffer.getvalue(), not_ours)
    _refused(not_ours, "not a BorderLink backup")


def _with_manifest(archive: Path, target: Path, edit: Any, tables: dict[str, Any]) -> None:
    """Rewrite the archive with edited tables and a manifest whose checksums match them."""
    import hashlib

    with open_clear(archive) as old:
        manifest = json.loads(old.read("manifest.json"))
    edit(manifest)

    def change(name: str, data: bytes) -> bytes:
        table = name.removeprefix("tables/").removesuffix(".jsonl")
        if name.startswith("tables/") and table in tables:
            data = tables[table](data)
            manifest["tables"][table]["sha256"] = hashlib.sha256(data).hexdigest()
            manifest["tables"][table]["rows"] = data.count(b"\n")
        return data

    out = io.BytesIO()
    with open_clear(archive) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            if item.filename != "manifest.json":
                new.writestr(item.filename, change(item.filename, old.read(item.filename)))
        new.writestr("manifest.json", json.dumps(manifest))
    seal(out.getvalue(), target)


def test_an_archive_made_at_another_schema_is_refused(archive: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-schema.zip"
    _with_manifest(archive, other, lambda m: m["migrations"].append(["places", "9999_future"]), {})
    _refused(other, "places.9999_future", "borderlink migrate")


def test_a_restore_that_fails_half_way_keeps_everything_as_it_was(
    archive: Path, tmp_path: Path
) -> None:
    """Checksums right, data wrong (a unit's code twice): the database refuses the second copy
    late in the load, and the tables already emptied and refilled come back as they were."""
    broken = tmp_path / "duplicate.zip"

    def duplicate_first_row(data: bytes) -> bytes:
        first = data.split(b"\n", 1)[0]
        row = json.loads(first)
        row[0] = 10**9  # a new id, the same unique code
        return data + json.dumps(row, ensure_ascii=False).encode() + b"\n"

    _with_manifest(archive, broken, lambda m: None, {"places_unit": duplicate_first_row})
    _refused(broken, "could not be written")


class ArchiveRows(TypedDict):
    tables: dict[str, list[Any]]
    files: dict[str, bytes]


def _archive_rows(path: Path) -> ArchiveRows:
    with zipfile.ZipFile(io.BytesIO(clear_archive(path))) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        tables = {
            table: [json.loads(line) for line in archive.read(f"tables/{table}.jsonl").splitlines()]
            for table in manifest["tables"]
        }
        files = {name: archive.read(f"media/{name}") for name in manifest["files"]}
    return {"tables": tables, "files": files}


@pytest.mark.slow
def test_a_backup_restores_into_the_other_database_value_for_value(
    media: Path, tmp_path: Path
) -> None:
    """SQLite for a first look, PostgreSQL for real work: the same archive moves the data across,
    either way (the SQLite run restores into PostgreSQL, the PostgreSQL run into SQLite). Backed
    up again from the other database, every row holds the same values (JSON objects compared as
    values: PostgreSQL orders their keys its own way) and every file the same bytes."""
    import psycopg

    server = os.environ.get("SAFETY_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
    to_postgresql = connection.vendor == "sqlite"
    if to_postgresql:
        try:
            psycopg.connect(f"{server}/postgres", connect_timeout=3).close()
        except psycopg.Error:
            if IN_CI:
                raise
            pytest.skip(f"no PostgreSQL server answers at {server}")
    awkward_records()
    archive, again = tmp_path / "first.zip", tmp_path / "from-the-other-database.zip"
    call_command("backup", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115
    name = f"safety_xvendor_{os.getpid()}"
    target = f"{server}/{name}" if to_postgresql else f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": target,
        "BORDERLINK_VAR_DIR": str(tmp_path / "other-var"),
        "BACKUP_KEY": KEY,
    }
    borderlink = [sys.executable, "-m", "borderlink.cli"]
    if to_postgresql:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        for command in (
            ["migrate", "--noinput"],
            ["restore", str(archive), "--noinput"],
            ["backup", str(again)],
        ):
            subprocess.run([*borderlink, *command], env=env, check=True, capture_output=True)
    finally:
        if to_postgresql:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    first, second = _archive_rows(archive), _archive_rows(again)
    assert sorted(first["tables"]) == sorted(second["tables"])
    for table, rows in first["tables"].items():
        assert second["tables"][table] == rows, table
    assert second["files"] == first["files"] == media_dump(media)
