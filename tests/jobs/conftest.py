from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.safety.test_crash import Zygote, crash_database  # noqa: F401  (a fixture)

# Worker processes in these tests notice a dead worker in seconds, not the production minute.
FAST = {"JOBS_HEARTBEAT_SECONDS": "1", "JOBS_DEAD_AFTER_SECONDS": "3", "JOBS_SWEEP_SECONDS": "1"}


@pytest.fixture
def zygote(crash_database: str) -> Iterator[Zygote]:  # noqa: F811
    """The crash test's zygote (tests/safety/crash_worker.py) on the copied database: it
    queues jobs and reports on them from outside the worker under test."""
    z = Zygote(crash_database, **FAST)
    yield z
    z.close()
