"""Where the API keeps nothing (registers/api_cache.py): SQLite, which has no snapshot; a request
inside a transaction, whose own writes the snapshot does not show; API_RESPONSE_CACHE = False.
And the store's bounds. The answers kept on PostgreSQL: test_api_cache.py."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderlink.accounts.models import User
from borderlink.registers import api_cache
from tests.conftest import api_client


@pytest.mark.django_db
@pytest.mark.parametrize("switched_on", [True, False])
def test_nothing_is_kept_without_a_snapshot_to_trust(
    editor: User, settings: Any, switched_on: bool
) -> None:
    """Each test runs in a transaction: on PostgreSQL as on SQLite the path is off."""
    settings.API_RESPONSE_CACHE = switched_on
    api_cache.STORE.clear()
    client = api_client(editor)
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/activities/").status_code == 200
        sql = " ".join(q["sql"] for q in captured.captured_queries)
        assert "pg_current_snapshot" not in sql and '"ledger_activity"' in sql
    assert len(api_cache.STORE) == 0


def test_the_store_is_bounded_in_entries_and_bytes() -> None:
    store = api_cache.Store(entries=3, size=100)
    far = 1e12
    for i in range(5):
        store.put(bytes([i]), api_cache.Kept(b"x" * 10, (), far))
    assert len(store) == 3 and store.get(bytes([0])) is None and store.get(bytes([4])) is not None
    store.put(b"big", api_cache.Kept(b"x" * 95, (), far))
    assert store.get(b"big") is not None and len(store) == 1  # the others made room
    store.put(b"too big", api_cache.Kept(b"x" * 101, (), far))
    assert store.get(b"too big") is None
    store.put(b"old", api_cache.Kept(b"x", (), 0.0))
    assert store.get(b"old") is None  # past its time


def test_a_request_waits_for_its_answer_being_made_by_another_thread(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the snapshot moves on, clients asking the same page at once: one makes it."""
    settings.API_RESPONSE_CACHE = True
    api_cache.STORE.clear()
    monkeypatch.setattr(api_cache, "snapshot", lambda alias: "s")
    monkeypatch.setattr(api_cache, "_key", lambda *args: b"the same")
    user = SimpleNamespace(is_authenticated=True, _meta=User._meta)
    request = SimpleNamespace(method="GET", user=user)
    maker = api_cache.look_up(request, User)
    assert maker is not None and maker.hit is None and maker.making
    waited: list[api_cache.Lookup | None] = []
    other = threading.Thread(target=lambda: waited.append(api_cache.look_up(request, User)))
    other.start()
    time.sleep(0.2)
    assert other.is_alive()  # waiting, not making it again
    api_cache.STORE.put(maker.key, api_cache.Kept(b"made", (), time.monotonic() + 60))
    api_cache.done(maker)
    other.join(5)
    [found] = waited
    assert found is not None and found.hit is not None and found.hit.content == b"made"
    assert not found.making
    # A maker that kept nothing (a 404, say) frees the others too: they make their own.
    api_cache.STORE.clear()
    second = api_cache.look_up(request, User)
    assert second is not None and second.making
    api_cache.done(second)
    third = api_cache.look_up(request, User)
    assert third is not None and third.making and third.hit is None
    api_cache.done(third)
    api_cache.STORE.clear()
