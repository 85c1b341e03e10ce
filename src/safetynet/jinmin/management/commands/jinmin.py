"""`safetynet jinmin export --out DIR [--since YYYY-MM-DD] [--region CODE] [--as USER]` and
`safetynet jinmin import DIR [--as USER]`: the exchange with the national system (ADR 0015,
docs/jinmin-exchange.md). The last line is `exported households=N persons=M categories=K
changes=C out=DIR` or `imported persons=N households=M differences=D report=PATH`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.permissions import PermissionDenied
from safetynet.console import command_date
from safetynet.jinmin import format as fmt
from safetynet.jinmin.services import ExchangeError, exchange_export, exchange_import
from safetynet.monitoring.common import acting_user


class Command(BaseCommand):
    help = "金民工程数据交换：导出（export）、导入名单比对（import）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{export,import}")
        export = actions.add_parser("export", help="导出低收入人口数据库")
        export.add_argument("--out", required=True, metavar="DIR")
        export.add_argument("--since", default="", metavar="YYYY-MM-DD", help="变动记录起始日期")
        export.add_argument(
            "--region", default="", metavar="CODE", help="区划代码（默认账号管辖范围）"
        )
        export.add_argument("--as", dest="as_user", metavar="USER")
        imported = actions.add_parser("import", help="导入金民工程名单并报告差异（不覆盖）")
        imported.add_argument("directory", metavar="DIR")
        imported.add_argument("--as", dest="as_user", metavar="USER")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options["as_user"] or "")
        try:
            if options["action"] == "export":
                since = command_date(options["since"]) if options["since"] else None
                out = Path(options["out"])
                exchange = exchange_export(
                    actor=actor, out_dir=out, since=since, region_code=options["region"]
                )
                c = exchange.counts
                self.stdout.write(
                    f"exported households={c[fmt.HOUSEHOLDS]} persons={c[fmt.PERSONS]} "
                    f"categories={c[fmt.CATEGORIES]} changes={c[fmt.CHANGES]} out={out}"
                )
                return
            directory = Path(options["directory"])
            if not directory.is_dir():
                raise CommandError(f"目录不存在：{directory}")
            exchange = exchange_import(actor=actor, in_dir=directory)
        except (ExchangeError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"无法读写文件：{exc.strerror or exc}") from exc
        for kind, count in sorted(exchange.differences.items()):
            self.stdout.write(f"{kind}\t{count}")
        self.stdout.write(
            f"imported persons={exchange.counts[fmt.PERSONS]} "
            f"households={exchange.counts[fmt.HOUSEHOLDS]} "
            f"differences={exchange.difference_total} report={exchange.report_path}"
        )
