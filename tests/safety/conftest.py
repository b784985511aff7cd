from __future__ import annotations

from typing import Any

import pytest

from tests.safety.backups import KEY


@pytest.fixture(autouse=True)
def backup_key(settings: Any) -> str:
    """The operator's backup key, as BACKUP_KEY would give it."""
    settings.BACKUP_KEY = KEY
    settings.BACKUP_KEY_FILE = ""
    return KEY
