"""The `safetynet` console command: Django's management commands under the project's name.

`safetynet import-households FILE` runs the `import_households` command; the hyphenated form is
the documented contract for county IT staff, the underscore form is what Python can import.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["safetynet", *args])


if __name__ == "__main__":
    main()
