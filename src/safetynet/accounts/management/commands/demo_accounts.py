"""`safetynet demo_accounts --county CODE`: create or reset the demo accounts of a county and
print them (username, password, role, scope) as a table. Each run issues new passwords."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.services import AccountError, demo_accounts_reset


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows: list[list[str]]) -> list[str]:
    """Rows of cells as aligned console lines; CJK characters count as two columns."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


class Command(BaseCommand):
    help = "创建或重置某县的演示账号，并打印账号、密码、角色和管辖区域"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", required=True, help="县级区划代码（6 或 12 位），如 410225")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            accounts = demo_accounts_reset(county_code=options["county"])
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        rows = [["账号", "密码", "角色", "管辖区域"]]
        rows.extend(
            [a.username, a.password, a.role_label, f"{a.scope_name}（{a.scope_code}）"]
            for a in accounts
        )
        self.stdout.write("演示账号（每次运行都会重置密码）：")
        for line in format_table(rows):
            self.stdout.write(line)
