"""``safetynet restore DIR [--verify]``: check a backup against its manifest and restore it into
an empty database (``safetynet.backup``, ADR 0017)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet import backup


class Command(BaseCommand):
    help = "Restore a backup into an empty database (--verify: only check it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument("--verify", action="store_true", help="只校验备份，不恢复")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        try:
            if options["verify"]:
                problems = backup.verify(folder)
                for problem in problems:
                    self.stdout.write(problem)
                self.stdout.write(f"problems={len(problems)}")
                if problems:
                    sys.exit(1)
                return
            done = backup.restore(folder, progress=lambda line: print(line, file=sys.stderr))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored={done.folder} files={done.files} rows={done.rows}")
