"""`safetynet idcheck ID [ID ...]`: one line per ID, `ID<TAB>valid` or `ID<TAB>invalid<TAB>reason`;
exit status 1 if any is invalid. The ID is echoed as given so scripts can match lines to input."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safetynet.registry.identity import InvalidIdNumber, parse_id_number


class Command(BaseCommand):
    help = "校验居民身份证号码（GB 11643）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="+", metavar="ID")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = False
        for raw in options["ids"]:
            try:
                parse_id_number(raw)
            except InvalidIdNumber as exc:
                failed = True
                self.stdout.write(f"{raw}\tinvalid\t{exc.reason}")
            else:
                self.stdout.write(f"{raw}\tvalid")
        self.stdout.flush()
        if failed:
            sys.exit(1)
