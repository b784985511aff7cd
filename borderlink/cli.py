"""The `borderlink` command: Django's management commands, with dashed names.

`borderlink load-demo` runs the management command `load_demo`, `borderlink units find` the
command `units`; everything else (migrate, createsuperuser, ...) passes through unchanged.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "borderlink"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
