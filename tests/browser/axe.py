"""axe-core, the accessibility checker, run in the page: no WCAG 2.1 A/AA violation.

axe-core is installed from npm at test time into var/npm (kept between runs). Without npm, or when
the registry cannot be reached, the tests that use it are skipped with the reason — except with
CI=true, where they fail. The fixtures `axe_source` and `axe_page` are in browser/conftest.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest
from django.conf import settings
from playwright.sync_api import Page

AXE_VERSION = "4"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI: {reason}")
    pytest.skip(reason)


def install() -> str:
    """axe-core's script, installed from npm the first time."""
    folder = Path(settings.VAR_DIR) / "npm"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("npm is not installed, so axe-core cannot be installed")
        folder.mkdir(parents=True, exist_ok=True)
        command = [npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund"]
        try:
            done = subprocess.run(
                [*command, f"axe-core@{AXE_VERSION}"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        except subprocess.TimeoutExpired:
            _unavailable("npm install axe-core timed out")
        if done.returncode != 0 or not script.exists():
            _unavailable(f"npm could not install axe-core: {done.stderr.strip()[-300:]}")
    return script.read_text(encoding="utf-8")


def find_violations(page: Page, source: str) -> list[dict[str, Any]]:
    """What axe finds on the page as it is now: rule, impact, the first nodes and why."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "summary": v["nodes"][0].get("failureSummary", "")[:300] if v["nodes"] else "",
        }
        for v in result["violations"]
    ]
