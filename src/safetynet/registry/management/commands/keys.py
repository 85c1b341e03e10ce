"""``safetynet keys rotate [--batch N]`` / ``safetynet keys status`` (ADR 0017)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.registry import keyring, rotation


class Command(BaseCommand):
    help = "Rotate the ID encryption and blind-index keys to the configured ones, or show them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rotate", "status"])
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self._status()
            return
        if options["batch"] < 1:
            raise CommandError("--batch 应为正整数")
        try:
            done = rotation.rotate(
                batch=options["batch"], progress=lambda line: print(line, file=sys.stderr)
            )
        except keyring.KeyringError as exc:
            raise CommandError(str(exc)) from exc
        counts = " ".join(f"{name}={done.counts.get(name, 0)}" for name in rotation.steps())
        self.stdout.write(
            f"rotated algorithms={done.algorithms} encryption={done.encryption_kid} "
            f"index={done.index_kid} {counts}"
        )

    def _status(self) -> None:
        index = keyring.current_index_key()
        self.stdout.write(f"algorithms={keyring.algorithm_set()}")
        self.stdout.write(f"encryption={keyring.current_encryption_kid()}")
        self.stdout.write(f"index={index.kid} ({index.algorithm})")
        for key in keyring.index_keys()[1:]:
            self.stdout.write(f"previous index={key.kid} ({key.algorithm})")
        for kid, count in sorted(rotation.status().items()):
            self.stdout.write(f"persons index={kid or '-'} count={count}")
        pending = rotation.unfinished()
        self.stdout.write(f"unfinished={pending.step if pending else '-'}")
