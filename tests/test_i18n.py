"""Every user-facing string is in Vietnamese and Chinese; pages follow the chosen language."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.test import Client

from borderlink.accounts.models import User
from tests.typed import Login

LOCALE = Path(__file__).resolve().parents[1] / "borderlink" / "locale"


@pytest.mark.parametrize("language", ["vi", "zh_Hans"])
def test_every_string_is_translated(language: str) -> None:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [
        e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]
    assert missing == []
    assert len(catalogue) > 100


def test_the_catalogues_cover_every_string_in_the_code(tmp_path: Path) -> None:
    """A string added to the code without `make messages` would show in English only."""
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "borderlink"
    shutil.copytree(LOCALE.parent, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "BORDERLINK_LOCALE_DIR": str(copy / "locale")}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--ignore",
            "formats/*",
            "--settings=borderlink.settings",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env=env,
    )
    known = {e.msgid for e in polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))}
    current = {
        e.msgid for e in polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    }
    assert sorted(current - known) == [], "run `make messages` and translate the new strings"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "Danh mục đơn vị"), ("en", "Gazetteer"), ("zh-hans", "名录")],
)
def test_pages_speak_the_chosen_language(
    language: str, expected: str, editor: User, client_of: Login
) -> None:
    client: Client = client_of(editor)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert expected in client.get("/units/").content.decode()
