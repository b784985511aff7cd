"""Types for test signatures: what the shared fixtures hand out and what the test client returns.

mypy checks tests/ as it checks borderlink/ (issue 19), so a fixture is annotated with its real
type rather than `object`, and an attribute the test client adds to a response is typed here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.test import Client

from borderlink.accounts.models import User

if TYPE_CHECKING:
    # The test client's response (with .context, .json(), .templates): a name only the stubs know.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response
else:
    from django.http import HttpResponse as Response

__all__ = ["Login", "Response"]

# The `client_of` fixture (tests/conftest.py): a client logged in as the given user.
Login = Callable[[User], Client]
