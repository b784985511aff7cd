"""Personal data at rest: encrypted model fields and a keyed blind index for exact search.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, a random IV per value) under a key
derived from settings.PERSONAL_DATA_KEY; PERSONAL_DATA_OLD_KEYS still decrypt after a rotation.
The same clear value encrypts differently each time, so equality lookups on the column find
nothing: exact search goes through `BlindIndexField`, an HMAC of the normalised value under a
second derived key. Neither key nor value ever enters an exception message.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import hmac
import re
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

MIN_KEY_LENGTH = 32
PREFIX = "f1:"  # marks a ciphertext (and its scheme) in the column


class DecryptionError(ValueError):
    """A stored value cannot be decrypted with any configured key (wrong or rotated-out key)."""


def _derive(secret: str, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"borderlink/{purpose}".encode()
    ).derive(secret.encode())


def _secrets() -> tuple[str, ...]:
    key = getattr(settings, "PERSONAL_DATA_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEY is not set: personal data cannot be encrypted or read."
        )
    if len(key) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"PERSONAL_DATA_KEY is too short: use {MIN_KEY_LENGTH} or more random characters."
        )
    return (key, *getattr(settings, "PERSONAL_DATA_OLD_KEYS", []))


@functools.lru_cache(maxsize=4)
def _fernet(secrets: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derive(s, "fernet"))) for s in secrets])


@functools.lru_cache(maxsize=4)
def _index_key(secret: str) -> bytes:
    return _derive(secret, "blind-index")


def encrypt(text: str) -> str:
    return PREFIX + _fernet(_secrets()).encrypt(text.encode()).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise DecryptionError("a personal-data column holds a value that is not a ciphertext")
    try:
        return _fernet(_secrets()).decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except InvalidToken:
        raise DecryptionError(
            "a personal-data value cannot be decrypted with PERSONAL_DATA_KEY "
            "or PERSONAL_DATA_OLD_KEYS"
        ) from None


def under_current_key(stored: str) -> bool:
    """The ciphertext was made under PERSONAL_DATA_KEY itself (not only an old key)."""
    if not stored or not stored.startswith(PREFIX):
        return not stored
    primary = _fernet(_secrets()[:1])
    try:
        primary.decrypt(stored[len(PREFIX) :].encode("ascii"))
    except InvalidToken:
        return False
    return True


def normalise_identifier(value: str) -> str:
    """ "012 345-678.901" and "012345678901" are the same number; letters compare in capitals."""
    return re.sub(r"[\s\-./]", "", value).upper()


def blind_index(value: str) -> str:
    """The keyed HMAC that stands beside a ciphertext for exact search ("" for no value)."""
    normal = normalise_identifier(value or "")
    if not normal:
        return ""
    return hmac.new(_index_key(_secrets()[0]), normal.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.CharField):
    """Text encrypted at rest; `max_length` bounds the clear value, the column is TEXT."""

    def get_internal_type(self) -> str:
        return "TextField"

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))


class EncryptedDateField(models.DateField):
    """A date encrypted at rest (ISO text inside the ciphertext); forms see a plain date."""

    def get_internal_type(self) -> str:
        return "TextField"

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)

    def from_db_value(
        self, value: str | None, expression: Any, connection: Any
    ) -> datetime.date | None:
        if value in (None, ""):
            return None
        return datetime.date.fromisoformat(decrypt(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if value is None:
            return None
        return encrypt(value.isoformat())


class BlindIndexField(models.CharField):
    """HMAC of another field's normalised value, computed on every save; never edited, never
    shown, never in the change history (not editable)."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = blind_index(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value
