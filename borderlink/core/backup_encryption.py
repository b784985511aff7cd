"""The backup archive's encryption: AES-256-GCM in chunks, under a key the operator provides.

A backup holds every record, password hashes and authenticator secrets included, so it is never
written in clear. The file is

    header   MAGIC, VERSION, scrypt cost (log2 n, r, p), 16-byte random salt
    check    HMAC-SHA256 of the header under a key derived beside the encryption key
    chunks   each a 4-byte big-endian length and an AES-GCM ciphertext of up to 1 MiB

The operator's key (BACKUP_KEY, or the file BACKUP_KEY_FILE names) goes through scrypt with the
archive's own salt, so every archive has its own AES key and the chunk nonces can simply count:
eleven bytes of chunk number and one byte that marks the last chunk. The header is each chunk's
associated data. So a wrong key is told apart from damage before anything is decrypted (the
check), and a flipped, dropped, reordered or cut-off chunk fails authentication (a truncated file
has no last chunk). Decrypting authenticates every chunk before the caller sees the archive whole.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.utils.translation import gettext as _

MAGIC = b"BORDERLINK-BACKUP\n"
VERSION = 1
MIN_KEY_LENGTH = 32
CHUNK = 1 << 20
_TAG = 16
_SCRYPT = (15, 8, 1)  # log2 n, r, p: about 32 MiB and a tenth of a second per archive
_HEADER = struct.Struct(">BBBB16s")  # version, log2 n, r, p, salt
_LENGTH = struct.Struct(">I")


class EncryptionError(Exception):
    """The key is missing or wrong, or the file is not an intact encrypted backup; the message
    says which, for the operator."""


def operator_key(key_file: str | Path | None = None) -> str:
    """The backup key: read from `key_file` when given, else BACKUP_KEY, else the file named by
    BACKUP_KEY_FILE."""
    source = key_file or getattr(settings, "BACKUP_KEY_FILE", "")
    key = "" if key_file else getattr(settings, "BACKUP_KEY", "")
    if not key and source:
        try:
            key = Path(source).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise EncryptionError(
                _("The backup key file cannot be read (%(error)s).") % {"error": error.strerror}
            ) from None
    if not key:
        raise EncryptionError(
            _(
                "No backup key: set BACKUP_KEY or BACKUP_KEY_FILE (or give --key-file). Backups "
                "are always encrypted."
            )
        )
    if len(key) < MIN_KEY_LENGTH:
        raise EncryptionError(
            _("The backup key is too short: use %(length)s or more random characters.")
            % {"length": MIN_KEY_LENGTH}
        )
    return key


def _derive(key: str, header: bytes) -> tuple[AESGCM, bytes]:
    _version, log_n, r, p, salt = _HEADER.unpack(header[len(MAGIC) :])
    if not (10 <= log_n <= 20 and 1 <= r <= 16 and 1 <= p <= 4):
        raise EncryptionError(_("The backup is damaged: its header cannot be read."))
    material = Scrypt(salt=salt, length=64, n=1 << log_n, r=r, p=p).derive(key.encode())
    return AESGCM(material[:32]), material[32:]


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only binary stream that encrypts what is written into `target` (zipfile writes
    an archive into it directly, so the clear archive never touches the disk). `close()` writes
    the last chunk; without it the file is refused as truncated."""

    def __init__(self, target: IO[bytes], key: str) -> None:
        self._target = target
        self._header = MAGIC + _HEADER.pack(VERSION, *_SCRYPT, os.urandom(16))
        self._aead, check_key = _derive(key, self._header)
        target.write(self._header)
        target.write(hmac.new(check_key, self._header, hashlib.sha256).digest())
        self._buffer = bytearray()
        self._index = 0
        self.closed = False

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep at least one byte back for the last chunk
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        self._target.flush()

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._target.flush()
            self.closed = True

    def _emit(self, clear: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._index, last), clear, self._header)
        self._target.write(_LENGTH.pack(len(sealed)) + sealed)
        self._index += 1


def _read_exactly(source: IO[bytes], size: int) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise EncryptionError(_("The backup is damaged: it ends too early (truncated)."))
    return data


def decrypt(source: IO[bytes], target: IO[bytes], key: str) -> None:
    """Decrypt an encrypted backup from `source` into `target`, or EncryptionError. Every chunk
    is authenticated; the caller uses `target` only if this returns."""
    start = source.read(len(MAGIC))
    if start != MAGIC:
        raise EncryptionError(
            _(
                "This is not an encrypted BorderLink backup (an archive made before backups "
                "were encrypted is restored by the version that made it)."
            )
        )
    header = start + _read_exactly(source, _HEADER.size)
    if header[len(MAGIC)] != VERSION:
        raise EncryptionError(
            _("This backup's encryption (version %(found)s) is not one this version reads.")
            % {"found": header[len(MAGIC)]}
        )
    aead, check_key = _derive(key, header)
    check = _read_exactly(source, 32)
    if not hmac.compare_digest(check, hmac.new(check_key, header, hashlib.sha256).digest()):
        raise EncryptionError(
            _(
                "The backup key is not the one this backup was made with (or the backup's "
                "header is damaged)."
            )
        )
    index = 0
    while True:
        (length,) = _LENGTH.unpack(_read_exactly(source, _LENGTH.size))
        if not _TAG <= length <= CHUNK + _TAG:
            raise EncryptionError(_("The backup is damaged: a part of it has an impossible size."))
        sealed = _read_exactly(source, length)
        clear = None
        for last in (False, True):
            try:
                clear = aead.decrypt(_nonce(index, last), sealed, header)
            except InvalidTag:
                continue
            break
        if clear is None:
            raise EncryptionError(
                _("The backup is damaged: part %(part)s does not match its checksum.")
                % {"part": index + 1}
            )
        target.write(clear)
        index += 1
        if last:
            break
    if source.read(1):
        raise EncryptionError(_("The backup is damaged: it has data after its end."))
