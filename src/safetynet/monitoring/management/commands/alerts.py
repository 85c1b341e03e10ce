"""`safetynet alerts export FILE [--as USER] [--indicator CODE] [--status S] [--region CODE]`:
the monitoring alerts the acting user may see, as .xlsx or .csv by the file's extension (an
audited export). The last line is `alerts=N out=FILE`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.permissions import PermissionDenied
from safetynet.monitoring.alerts.selectors import AlertFilters
from safetynet.monitoring.alerts.services import alerts_export
from safetynet.monitoring.common import acting_user


class Command(BaseCommand):
    help = "监测预警：导出本账号可见的预警（export）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{export}")
        export = actions.add_parser("export", help="导出预警清单（.xlsx 或 .csv）")
        export.add_argument("file", metavar="FILE")
        export.add_argument("--as", dest="as_user", metavar="USER", help="以该账号的管辖范围导出")
        export.add_argument("--indicator", default="", metavar="CODE")
        export.add_argument("--status", default="", help="open、checking、done、gone")
        export.add_argument("--region", default="", metavar="CODE", help="区划代码前缀")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        suffix = path.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise CommandError(f"文件扩展名应为 .xlsx 或 .csv：{path}")
        actor = acting_user(options["as_user"] or "")
        filters = AlertFilters(
            indicator=options["indicator"], status=options["status"], region=options["region"]
        )
        try:
            content, count = alerts_export(
                actor=actor, filters=filters, fmt=suffix[1:], channel="cli"
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc.strerror or exc}") from exc
        self.stdout.write(f"alerts={count} out={path}")
