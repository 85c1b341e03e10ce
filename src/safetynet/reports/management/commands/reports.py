"""`safetynet reports refresh [--month YYYY-MM]`: rebuild the monthly roll-ups (ADR 0014) of one
month, or by default of the current month and the one before (what the daily run does).
Idempotent. Last line: `rows=N` (the rows now held for the months refreshed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.reports.rollups import parse_month, refresh_month, refresh_recent


class Command(BaseCommand):
    help = "统计分析：更新月度汇总"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="更新月度汇总（默认本月和上月）")
        refresh.add_argument("--month", help="只更新该月 YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["month"]:
                done = [refresh_month(parse_month(options["month"]), trigger="console")]
            else:
                done = refresh_recent(trigger="console")
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for item in done:
            self.stderr.write(
                f"{item.month:%Y-%m} 截止 {item.snapshot_on.isoformat()}：{item.rows} 行，"
                f"{item.seconds:.2f} 秒"
            )
        self.stdout.write(f"rows={sum(item.rows for item in done)}")
