"""HSTS: on in production, sent on https responses only (directly or through the proxy's
X-Forwarded-Proto), configurable, off in development."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
YEAR = 365 * 24 * 3600


def _settings(**env: str) -> list[str]:
    environment = {
        **os.environ,
        "BORDERLINK_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.org",
        "PERSONAL_DATA_KEY": "k" * 40,
        **env,
    }
    for name in ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS"):
        if name not in env:
            environment.pop(name, None)
    code = (
        "import borderlink.settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.split(maxsplit=2)


def test_production_turns_hsts_on_for_a_year_and_the_operator_can_change_it() -> None:
    assert _settings()[:2] == [str(YEAR), "False"]
    assert _settings(SECURE_HSTS_SECONDS="300", SECURE_HSTS_INCLUDE_SUBDOMAINS="1")[:2] == [
        "300",
        "True",
    ]
    assert _settings(BORDERLINK_ENV="development")[0] == "0"


def test_hsts_is_sent_over_https_only(settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = YEAR
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()
    for address in ("/accounts/login/", "/public/vi/"):
        secure = client.get(address, HTTP_X_FORWARDED_PROTO="https")
        assert secure["Strict-Transport-Security"] == f"max-age={YEAR}", address
        assert client.get(address, secure=True).has_header("Strict-Transport-Security")
        # Plain http (a browser must not be told to pin what it did not reach over https).
        assert not client.get(address).has_header("Strict-Transport-Security"), address
