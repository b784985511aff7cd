"""Loading Source rows from YAML files kept beside the data that cites them."""

from __future__ import annotations

from pathlib import Path

import yaml

from borderlink.core.models import Source


def load_sources(path: Path) -> int:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for entry in entries:
        code = entry.pop("code")
        Source.objects.update_or_create(code=code, defaults=entry)
    return len(entries)
