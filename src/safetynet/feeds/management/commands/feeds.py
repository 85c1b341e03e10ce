"""`safetynet feeds import SOURCE FILE --period YYYY-MM [--accept-valid] [--report PATH]
[--as USER]` and `safetynet feeds sources`.

`import` shows its progress on stderr; its last stdout line is `accepted=N rejected=M duplicate=K`.
With refused rows the error report goes to PATH (default: `<file stem>.errors.xlsx` beside the
file); without --accept-valid such a batch is not stored and the exit status is 1, with it the
valid rows are stored, the refused ones quarantined, and the exit status is 0. Importing the same
file for the same source and period again stores nothing: `accepted=0 rejected=0 duplicate=<rows>`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied
from safetynet.accounts.services import system_user
from safetynet.feeds.catalogue import source_list
from safetynet.feeds.importing.report import report_file_name
from safetynet.feeds.importing.services import FeedImportError, ImportOutcome, batch_import

PRINTED_ERRORS = 20


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class Command(BaseCommand):
    help = "部门数据：导入一个批次（import），列出数据源（sources）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,sources}")
        importing = actions.add_parser("import", help="导入一个部门数据文件")
        importing.add_argument("source", metavar="SOURCE", help="数据源代码，如 deaths")
        importing.add_argument("file", metavar="FILE", help=".csv、.xlsx 或 .parquet 文件")
        importing.add_argument("--period", required=True, metavar="YYYY-MM", help="数据期别")
        importing.add_argument(
            "--accept-valid",
            action="store_true",
            help="有错误行时仍接收有效行（错误行隔离留存）",
        )
        importing.add_argument("--report", metavar="PATH", help="错误报告的保存路径")
        importing.add_argument(
            "--as",
            dest="as_user",
            metavar="USER",
            help="以哪个用户的身份导入（默认取环境变量 SAFETYNET_USER，否则为系统账号）",
        )
        actions.add_parser("sources", help="列出数据源及其字段")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sources":
            self._sources()
            return
        self._import(options)

    def _sources(self) -> None:
        for spec in source_list():
            self.stdout.write(f"{spec.code}\t{spec.name}")
            for column in spec.columns:
                kind = column.kind_label
                required = "必填" if column.required else "选填"
                headers = "、".join(column.aliases[:6])
                self.stdout.write(
                    f"  {column.name}\t{column.label}\t{kind}\t{required}"
                    + (f"\t也可写作：{headers}" if headers else "")
                )

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = self._acting_user(options["as_user"] or os.environ.get("SAFETYNET_USER", ""))
        report = (
            Path(options["report"])
            if options["report"]
            else path.with_name(report_file_name(path.name))
        )
        last_shown: dict[str, int] = {}

        def progress(done: int, total: int, stage: str) -> None:
            # One line per stage and about every tenth of the rows.
            step = max(total // 10, 1)
            shown = last_shown.get(stage)
            if shown is not None and done != total and done - shown < step:
                return
            last_shown[stage] = done
            count = f" {done}/{total} 行" if total else ""
            self.stderr.write(f"{stage}{count}")
            self.stderr.flush()

        try:
            outcome = batch_import(
                source=options["source"],
                path=path,
                period=options["period"],
                actor=actor,
                accept_valid=options["accept_valid"],
                channel="cli",
                file_name=path.name,
                report_path=report,
                progress=progress,
            )
        except FeedImportError as exc:
            raise CommandError(exc.message) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self._summary(outcome)
        self.stdout.write(
            f"accepted={outcome.accepted} rejected={outcome.rejected} duplicate={outcome.duplicate}"
        )
        self.stdout.flush()
        if outcome.rejected and not outcome.batch.parquet_path:
            sys.exit(1)

    def _summary(self, outcome: ImportOutcome) -> None:
        batch = outcome.batch
        if outcome.already_imported:
            imported_at = timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"该文件已于 {imported_at} 导入为批次 #{batch.pk}"
                f"（{batch.source} {batch.period}），本次未重复入库"
            )
            return
        for error in outcome.errors[:PRINTED_ERRORS]:
            fields = [str(error.row), error.column, error.value, error.reason]
            self.stdout.write("\t".join(_one_line(field) for field in fields))
        if len(outcome.errors) > PRINTED_ERRORS:
            self.stdout.write(f"……共 {len(outcome.errors)} 处错误，详见错误报告")
        if batch.parquet_path:
            quarantined = (
                f"，错误行已隔离：{batch.quarantine_path}" if batch.quarantine_path else ""
            )
            self.stdout.write(f"批次 #{batch.pk} 已入库：{batch.parquet_path}{quarantined}")
        else:
            self.stdout.write(
                f"有 {outcome.rejected} 行错误，批次 #{batch.pk} 未入库；请修改后重新导入，"
                "或加 --accept-valid 只接收有效行"
            )
        if outcome.report_path is not None:
            self.stdout.write(f"错误报告：{outcome.report_path}")

    def _acting_user(self, username: str) -> User:
        if not username:
            return system_user()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在或已停用")
        return user
