"""Argon2 with the cheapest parameters, for the test run only (tests/conftest.py).

The production hasher (Argon2 at Django's costs: 100 MB and two passes) takes 0.1 to 0.3 s a
password here, and the suite makes or checks one for every user a test creates and every login
a browser test types: minutes a run. This one makes the same kind of hash, `argon2$…`, with
other parameters; tests/security/test_login.py checks the production setting itself.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8  # KiB: the least Argon2 allows for one lane
    parallelism = 1
