"""`safetynet categories apply [--date YYYY-MM-DD] [--all]`: bring each household's current
category and relapse-watch flag to the status in force on the date (default today). Statuses
recorded ahead of their date (a decision takes effect the month after it) change the household
on that date. It runs once a day on its own (the job worker, or without one the first request of
the day; ADR 0011); this command runs it by hand or from cron. Idempotent. Last line:
`category=N relapse_watch=M` (households changed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safetynet.console import command_date
from safetynet.registry.services import statuses_apply_due


class Command(BaseCommand):
    help = "到期的救助类别和防返贫监测标识生效"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        apply = sub.add_parser("apply", help="使到期的类别和监测标识生效")
        apply.add_argument("--date", help="按哪一天生效 YYYY-MM-DD（默认今天）")
        apply.add_argument(
            "--all",
            action="store_true",
            help="核对全部家庭（默认只看近一个月内生效的记录）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = command_date(options["date"]) if options["date"] else None
        applied = statuses_apply_due(on=on, all_dates=options["all"])
        self.stdout.write(f"category={applied.category} relapse_watch={applied.relapse_watch}")
