"""`safetynet audit verify`: recompute the hash chain; exit 1 at the first tampered record."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safetynet.audit.selectors import audit_chain_verify
from safetynet.audit.services import audit_flush


class Command(BaseCommand):
    help = "审计日志操作"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验审计日志哈希链是否完整")

    def handle(self, *args: Any, **options: Any) -> None:
        audit_flush()  # buffered reads first: verify covers every record written so far
        result = audit_chain_verify()
        if result.ok:
            self.stdout.write(f"audit chain OK: {result.checked} records")
            return
        self.stdout.write(
            f"audit chain BROKEN at record {result.broken_at}: {result.reason} "
            f"({result.checked} records verified before it)"
        )
        self.stdout.flush()
        sys.exit(1)
