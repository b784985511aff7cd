"""The project's settings with the benchmark's extra route (bench/lists_urls.py)."""

from borderlink.settings import *  # noqa: F403

ROOT_URLCONF = "bench.lists_urls"
