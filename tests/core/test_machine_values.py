"""Numbers a machine reads (ids in links, years, page numbers) are never written with the page's
thousands separator: `?meeting=22,316` found no record on PostgreSQL, whose ids run high."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from borderlink.accounts.models import User
from borderlink.ledger.models import Activity
from tests.typed import Login

TEMPLATES = Path(__file__).resolve().parents[2] / "borderlink"
# `{{ something.pk }}`, `.id`, `_id`, `.year`, `.month`, `.day`, `page_number` with no filter.
MACHINE_VALUE = re.compile(
    r"\{\{\s*[\w.]+?(?:\.pk|\.id|_id|page_number|\.year|\.month|\.day)\s*\}\}"
)


def test_no_template_prints_an_id_or_a_year_localised() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:120]}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_VALUE.search(line)
    ]
    assert not found, "write these with |unlocalize:\n" + "\n".join(found)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_link_to_a_record_with_a_large_id_carries_the_id_as_digits(
    language: str, editor: User, client_of: Login
) -> None:
    activity = Activity.objects.filter(home_unit__code="VN-P02").first()
    assert activity is not None
    activity.pk = None
    activity.id = 22316
    activity.save()
    client: Client = client_of(editor)
    with translation.override(language):
        client.cookies["django_language"] = language
        page = client.get(f"/r/activities/{activity.pk}/").content.decode()
    assert "meeting=22316" in page
    assert "?copy=22316" in page
