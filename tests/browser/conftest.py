"""Playwright driving the system's Chromium (Debian's package; never `playwright install`).

Outside CI a missing Chromium skips these tests with the reason; in CI it is an error.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright

from tests import demo_snapshot
from tests.browser import axe

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _patient_assertions() -> None:
    """Assertions wait as long as actions do (15 s, not Playwright's 5 s): with two test workers
    on two cores a page can take longer than 5 s to answer, and a slow answer is no failure."""
    try:
        from playwright.sync_api import expect
    except ImportError:  # the browser tests skip, or fail in CI, with their own reason
        return
    expect.set_options(timeout=15_000)


_patient_assertions()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI: Chromium is required for browser tests and is missing ({CHROMIUM})")
        pytest.skip(f"Chromium not installed ({CHROMIUM}); `apt-get install chromium` to run")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()


@pytest.fixture
def profile(
    playwright_driver: Playwright, tmp_path: Path
) -> Iterator[Callable[..., BrowserContext]]:
    """A browser with a profile on disk, as a phone keeps one: `profile()` opens it (again),
    with its IndexedDB, service worker and caches as the last run left them."""
    opened: list[BrowserContext] = []

    # Any: the options are launch_persistent_context's own keywords, each of its own type.
    def open_profile(**options: Any) -> BrowserContext:
        context = playwright_driver.chromium.launch_persistent_context(
            str(tmp_path), executable_path=CHROMIUM, args=ARGS, **options
        )
        opened.append(context)
        return context

    yield open_profile
    for context in opened:
        with contextlib.suppress(Exception):  # closed by the test already
            context.close()


@pytest.fixture
def demo_live_server(live_server: object, transactional_db: None) -> object:
    # A transactional test empties the database when it ends: the demo is put back when needed.
    demo_snapshot.ensure_demo()
    return live_server


@pytest.fixture
def job_worker(demo_live_server: object) -> Iterator[None]:
    """A real `borderlink worker` on the live server's database, for pages that wait on one
    (a report being rendered, an import). On SQLite in memory no other process could see the
    database: jobs run in the asking process there (core/jobs.inline), nothing to start."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "borderlink.cli", "worker", "--interval", "0.2", "--no-caretaker"],
        env={**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"},
    )
    yield
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return axe.install()


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    """A page whose profile lets the injected axe script past the Content-Security-Policy."""
    context = browser.new_context(locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
