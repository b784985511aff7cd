"""`python -m borderlink.dbcheck URL`: exit 0 when a PostgreSQL server answers at URL.

Used by `make test` to decide whether the PostgreSQL run can happen (CI requires it).
"""

from __future__ import annotations

import sys


def main(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3):
            return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
