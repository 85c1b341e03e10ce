"""`safetynet scan [--region CODE] [--indicator CODE] [--date YYYY-MM-DD] [--as USER]`: evaluate
every active monitoring indicator (or one) over the registry and the latest department batches
of a region (default: the acting user's scope) and record the alerts. Idempotent. The last line
is exactly `alerts=N new=M closed=K`: alerts whose condition holds, of them new, and untouched
alerts closed because their condition no longer holds.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from safetynet.accounts.permissions import PermissionDenied
from safetynet.console import command_date
from safetynet.monitoring.common import acting_user
from safetynet.monitoring.scan.services import ScanError, scan_run


class Command(BaseCommand):
    help = "动态监测扫描：按启用的监测指标比对部门数据与低收入人口库，生成预警"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", metavar="CODE", help="区划代码（默认：账号的管辖范围）")
        parser.add_argument("--indicator", metavar="CODE", help="只扫描一个指标，如 medical_burden")
        parser.add_argument("--date", help="扫描基准日 YYYY-MM-DD（默认今天）")
        parser.add_argument(
            "--as", dest="as_user", metavar="USER", help="以该账号的权限和管辖范围运行"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options["as_user"] or "")
        on = command_date(options["date"]) if options["date"] else None

        def progress(done: int, total: int, stage: str) -> None:
            print(f"[{done}/{total}] {stage}", file=sys.stderr)

        try:
            result = scan_run(
                actor=actor,
                region_code=options["region"],
                indicator_code=options["indicator"],
                on=on,
                trigger="console",
                progress=progress,
            )
        except (ScanError, PermissionDenied, Http404) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"扫描 {result.scan.region_code} 基准日 {result.scan.on.isoformat()}，"
            f"用时 {result.scan.seconds:.2f} s"
        )
        self.stdout.write(f"alerts={result.alerts} new={result.new} closed={result.closed}")
