"""``safetynet backup --out DIR``: the database, stored batches and attachments, with a manifest
of SHA-256 sums (``safetynet.backup``, ADR 0017)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet import backup


class Command(BaseCommand):
    help = "Back up the platform (database, stored batches, attachments) into an empty folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, metavar="DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backup.backup(
                Path(options["out"]), progress=lambda line: print(line, file=sys.stderr)
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup={done.folder} files={done.files} rows={done.rows}")
