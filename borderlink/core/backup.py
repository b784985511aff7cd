"""Backup and restore of the whole system: every table and every uploaded file, in one zip,
encrypted as a whole under the operator's backup key (core/backup_encryption.py).

    manifest.json            format, BorderLink version, database vendor, applied migrations,
                             per table its columns, row count and SHA-256, per file its size and
                             SHA-256
    tables/<table>.jsonl     one JSON array per row, the columns in manifest order
    media/<path>             MEDIA_ROOT as it was

Values are written in a form that does not depend on the database: decimals, dates, times and
UUIDs as text (ISO 8601, datetimes in UTC), binary as base64, JSON fields as JSON. Each value is
read through its model field and written back through it, so a SQLite backup restores into
PostgreSQL and the other way round, value for value. A text column whose field converts what it
reads (the encrypted personal data of people/crypto.py) is copied as stored, never decrypted: the
archive holds the ciphertext, and restoring it needs the same PERSONAL_DATA_KEY (checked before
the commit). Sessions are left out (a restore logs everybody out); authenticator secrets and
password hashes stay, inside the encryption, so a restore does not lock administrators out.

Restore decrypts the archive into a private temporary directory, authenticating every part (a
wrong key or a damaged file stops it there), checks every checksum before it touches anything,
refuses an archive made at another schema (other migrations), then replaces every table in one
transaction (on PostgreSQL the sequences are set past the restored ids) and, once that has
committed, swaps MEDIA_ROOT for the archive's files.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import (
    DEFAULT_DB_ALIAS,
    DataError,
    IntegrityError,
    connections,
    models,
    transaction,
)
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from borderlink.core.backup_encryption import EncryptingWriter, EncryptionError, operator_key
from borderlink.core.backup_encryption import decrypt as decrypt_archive

FORMAT = 2  # 1: clear zip, personal data decrypted, sessions included
# Tables never copied: live sessions are credentials, and useless on the restored system. A
# restore empties them.
LEFT_OUT = frozenset({"django_session"})
MANIFEST = "manifest.json"
BATCH = 1000
_CHUNK = 1 << 20


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why, for the operator."""


@dataclass
class Summary:
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    vendor: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def borderlink_version() -> str:
    try:
        return version("borderlink")
    except PackageNotFoundError:  # pragma: no cover - running from a tree without metadata
        return "unknown"


def tables(using: str = DEFAULT_DB_ALIAS) -> dict[str, type[models.Model]]:
    """Every table Django manages that exists in the database, with the model that owns it."""
    existing = set(connections[using].introspection.table_names())
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.db_table not in existing:
            continue
        found.setdefault(opts.db_table, model)
    return dict(sorted(found.items()))


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def as_stored(model_field: models.Field) -> bool:
    """A text column whose field turns the stored text into something else when read (an
    encrypted field): the backup copies the stored text, so it never decrypts personal data."""
    return model_field.get_internal_type() in ("TextField", "CharField") and hasattr(
        model_field, "from_db_value"
    )


def _encode(model_field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    kind = model_field.get_internal_type()
    if kind == "JSONField":
        return value
    if kind == "BinaryField":
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _decode(model_field: models.Field, value: Any, connection: Any) -> Any:
    if value is None:
        return None
    if as_stored(model_field):
        try:
            # Readable here, or the restored records could never be shown: refuse before commit.
            model_field.from_db_value(value, None, connection)  # type: ignore[attr-defined]
        except (ValueError, ImproperlyConfigured):
            raise BackupError(
                _(
                    "The backup's personal data cannot be decrypted with this server's "
                    "PERSONAL_DATA_KEY (or PERSONAL_DATA_OLD_KEYS): configure the key the backed-"
                    "up system used. Nothing was changed."
                )
            ) from None
        return value
    if model_field.get_internal_type() != "JSONField":
        value = model_field.to_python(value)
    return model_field.get_db_prep_save(value, connection)


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _rows(model: type[models.Model], using: str) -> Iterator[list[Any]]:
    columns = _columns(model)
    queryset = model._base_manager.using(using).order_by("pk")
    selected = [
        models.ExpressionWrapper(models.F(f.attname), output_field=models.TextField())
        if as_stored(f)
        else f.attname
        for f in columns
    ]
    for row in queryset.values_list(*selected).iterator(chunk_size=BATCH):
        yield [_encode(f, v) for f, v in zip(columns, row, strict=True)]


def backed_up_tables(using: str = DEFAULT_DB_ALIAS) -> dict[str, type[models.Model]]:
    return {t: m for t, m in tables(using).items() if t not in LEFT_OUT}


def backup(
    path: str | Path, using: str = DEFAULT_DB_ALIAS, key_file: str | Path | None = None
) -> Summary:
    """Write the whole database and MEDIA_ROOT to `path`, encrypted under the backup key
    (written aside, then moved in place)."""
    try:
        key = operator_key(key_file)
    except EncryptionError as error:
        raise BackupError(str(error)) from None
    target = Path(path)
    connection = connections[using]
    summary = Summary(vendor=connection.vendor)
    media_root = Path(settings.MEDIA_ROOT)
    fd, temporary = tempfile.mkstemp(prefix=".backup-", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        with (
            open(temporary, "wb") as out,
            _snapshot(using),
        ):
            encrypted = EncryptingWriter(out, key)
            # zipfile writes into the encrypting stream: the clear archive is never on disk.
            archive = zipfile.ZipFile(
                encrypted,
                "w",
                zipfile.ZIP_DEFLATED,
                allowZip64=True,
            )
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "borderlink": borderlink_version(),
                "vendor": connection.vendor,
                "created": datetime.datetime.now(datetime.UTC).isoformat(),
                "migrations": _applied_migrations(using),
                "tables": {},
                "files": {},
            }
            for table, model in backed_up_tables(using).items():
                digest = hashlib.sha256()
                count = 0
                with archive.open(f"tables/{table}.jsonl", "w", force_zip64=True) as member:
                    for row in _rows(model, using):
                        line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
                        digest.update(line)
                        member.write(line)
                        count += 1
                manifest["tables"][table] = {
                    "model": model._meta.label,
                    "columns": [f.column for f in _columns(model)],
                    "rows": count,
                    "sha256": digest.hexdigest(),
                }
                summary.tables += 1
                summary.rows += count
                summary.counts[table] = count
            for file in _media_files(media_root):
                name = file.relative_to(media_root).as_posix()
                archive.write(file, f"media/{name}")
                size = file.stat().st_size
                manifest["files"][name] = {"size": size, "sha256": _sha256_file(file)}
                summary.files += 1
                summary.bytes += size
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
            archive.close()
            encrypted.close()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return summary


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One consistent read of every table: a repeatable-read transaction on PostgreSQL, a read
    transaction on SQLite. Inside an outer transaction (tests) that one is the snapshot."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        # A deferred (read) transaction: in WAL mode it sees one snapshot and, unlike Django's
        # immediate transactions, does not hold the write lock, so the site keeps saving.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(_("This is not a BorderLink backup: it has no manifest.")) from None
    except (ValueError, zipfile.BadZipFile, OSError) as error:
        raise BackupError(
            _("The backup is damaged: its manifest cannot be read (%(error)s).") % {"error": error}
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            _("This backup's format (%(found)s) is not one this version reads (%(format)s).")
            % {
                "found": manifest.get("format") if isinstance(manifest, dict) else "?",
                "format": FORMAT,
            }
        )
    return manifest


def _member_digest(archive: zipfile.ZipFile, name: str) -> tuple[str, int, int]:
    """SHA-256, size and line count of a member, read in chunks."""
    if name not in archive.NameToInfo:
        raise BackupError(
            _("The backup is damaged: %(member)s is missing. Nothing was changed.")
            % {"member": name}
        )
    digest = hashlib.sha256()
    size = lines = 0
    with archive.open(name) as member:
        while chunk := member.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")
    return digest.hexdigest(), size, lines


def verify(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every table and file is in the archive and matches its checksum, or BackupError."""
    problems: list[str] = []
    try:
        for table, entry in manifest["tables"].items():
            digest, _size, lines = _member_digest(archive, f"tables/{table}.jsonl")
            if digest != entry["sha256"] or lines != entry["rows"]:
                problems.append(_("table %(table)s") % {"table": table})
        for name, entry in manifest["files"].items():
            if not _safe_name(name):
                problems.append(_("file %(name)s (not a safe path)") % {"name": name})
                continue
            digest, size, _lines = _member_digest(archive, f"media/{name}")
            if digest != entry["sha256"] or size != entry["size"]:
                problems.append(_("file %(name)s") % {"name": name})
    except (KeyError, TypeError) as error:
        raise BackupError(
            _("The backup is damaged: its manifest is incomplete (%(error)s). Nothing was changed.")
            % {"error": error}
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise BackupError(
            _("The backup is damaged and cannot be read (%(error)s). Nothing was changed.")
            % {"error": error}
        ) from None
    if problems:
        raise BackupError(
            _("The backup is damaged: the checksums of %(what)s do not match. Nothing was changed.")
            % {"what": ", ".join(problems[:10]) + (" …" if len(problems) > 10 else "")}
        )


def _check_schema(manifest: dict[str, Any], using: str) -> dict[str, type[models.Model]]:
    present = tables(using)
    ours = {tuple(m) for m in _applied_migrations(using)}
    theirs = {tuple(m) for m in manifest.get("migrations", [])}
    if ours != theirs:
        missing = sorted(".".join(m) for m in theirs - ours)
        extra = sorted(".".join(m) for m in ours - theirs)
        raise BackupError(
            _(
                "The database is not at the backup's schema (backup made by BorderLink "
                "%(version)s). Migrations in the backup but not applied here: %(missing)s; "
                "applied here but not in the backup: %(extra)s. Restore with the same version "
                "of BorderLink, after `borderlink migrate`. Nothing was changed."
            )
            % {
                "version": manifest.get("borderlink", "?"),
                "missing": ", ".join(missing) or "—",
                "extra": ", ".join(extra) or "—",
            }
        )
    if set(manifest["tables"]) != set(present) - LEFT_OUT:
        raise BackupError(
            _(
                "The backup's tables are not this database's (in the backup only: %(theirs)s; "
                "here only: %(ours)s). Nothing was changed."
            )
            % {
                "theirs": ", ".join(sorted(set(manifest["tables"]) - set(present))) or "—",
                "ours": ", ".join(sorted(set(present) - LEFT_OUT - set(manifest["tables"]))) or "—",
            }
        )
    for table, entry in manifest["tables"].items():
        model = present.get(table)
        if model is None or [f.column for f in _columns(model)] != entry["columns"]:
            raise BackupError(
                _(
                    "The table %(table)s in the backup does not match this database's. "
                    "Nothing was changed."
                )
                % {"table": table}
            )
    return present


def _load_table(archive: zipfile.ZipFile, table: str, model: type[models.Model], using: str) -> int:
    connection = connections[using]
    columns = _columns(model)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table),
        ", ".join(quote(str(f.column)) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )
    count = 0
    batch: list[list[Any]] = []
    with archive.open(f"tables/{table}.jsonl") as member, connection.cursor() as cursor:
        for line in _lines(member):
            row = json.loads(line)
            batch.append([_decode(f, v, connection) for f, v in zip(columns, row, strict=True)])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _lines(member: IO[bytes]) -> Iterator[bytes]:
    for line in member:
        if line.strip():
            yield line


def restore(
    path: str | Path, using: str = DEFAULT_DB_ALIAS, key_file: str | Path | None = None
) -> Summary:
    """Replace every table and MEDIA_ROOT with the encrypted archive's; all or nothing."""
    try:
        key = operator_key(key_file)
    except EncryptionError as error:
        raise BackupError(_("%(reason)s Nothing was changed.") % {"reason": error}) from None
    # The clear archive lives only in a directory of our own (mode 0700), removed afterwards.
    with tempfile.TemporaryDirectory(prefix="borderlink-restore-") as private:
        clear = Path(private) / "backup.zip"
        try:
            with open(path, "rb") as source, clear.open("wb") as target:
                decrypt_archive(source, target, key)
        except EncryptionError as error:
            raise BackupError(_("%(reason)s Nothing was changed.") % {"reason": error}) from None
        except OSError as error:
            raise BackupError(
                _("The backup cannot be opened (%(error)s). Nothing was changed.")
                % {"error": error.strerror or error}
            ) from None
        return _restore_archive(clear, using)


def _restore_archive(path: Path, using: str) -> Summary:
    connection = connections[using]
    summary = Summary(vendor=connection.vendor)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(
            _("The backup cannot be opened (%(error)s). Nothing was changed.") % {"error": error}
        ) from None
    with archive:
        manifest = read_manifest(archive)
        verify(archive, manifest)
        present = _check_schema(manifest, using)
        staged = _stage_media(archive, manifest)
        try:
            with transaction.atomic(using=using):
                # Every table is emptied and refilled in this one transaction; foreign keys are
                # checked at commit (Django creates them deferrable on both databases).
                flush = connection.ops.sql_flush(
                    no_style(), list(present), reset_sequences=True, allow_cascade=False
                )
                with connection.cursor() as cursor:
                    if connection.vendor == "postgresql":
                        # TRUNCATE refuses tables with foreign-key checks still pending in this
                        # transaction (an outer one, as in tests): run them now, defer again.
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    for statement in flush:
                        cursor.execute(statement)
                for table in manifest["tables"]:
                    count = _load_table(archive, table, present[table], using)
                    summary.counts[table] = count
                    summary.rows += count
                    summary.tables += 1
                resets = connection.ops.sequence_reset_sql(no_style(), list(present.values()))
                with connection.cursor() as cursor:
                    for statement in resets:
                        cursor.execute(statement)
                try:
                    # Deferred foreign keys checked now, inside the transaction, with a message.
                    connection.check_constraints()
                except IntegrityError as error:
                    raise BackupError(
                        _(
                            "The backup's records do not hold together (%(error)s). "
                            "Nothing was changed."
                        )
                        % {"error": error}
                    ) from None
        except (IntegrityError, DataError) as error:
            shutil.rmtree(staged, ignore_errors=True)
            raise BackupError(
                _("The backup's records could not be written (%(error)s). Nothing was changed.")
                % {"error": error}
            ) from None
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    summary.files, summary.bytes = _swap_media(staged)
    for cache in caches.all():
        cache.clear()  # pages and figures cached from the replaced records
    return summary


def _stage_media(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> Path:
    """The archive's files, written beside MEDIA_ROOT, to be moved in once the data is in."""
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{root.name}-restore-", dir=root.parent))
    try:
        for name in manifest["files"]:
            target = staged / PurePosixPath(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(f"media/{name}") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _swap_media(staged: Path) -> tuple[int, int]:
    root = Path(settings.MEDIA_ROOT)
    old = root.with_name(f".{root.name}-replaced-{uuid.uuid4().hex[:8]}")
    if root.exists():
        os.replace(root, old)
    os.replace(staged, root)
    shutil.rmtree(old, ignore_errors=True)
    files = _media_files(root)
    return len(files), sum(f.stat().st_size for f in files)
