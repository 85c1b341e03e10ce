"""`safetynet include-registers FILE --kind dibao|destitute|relapse_watch [--as USER]
[--report PATH]`: direct inclusion of an existing register from the console, with the web page's
validation, scope and audit.

On success the last line is `included=N unchanged=M` and the exit status 0. On any problem nothing
is written: the first 20 problems are printed as `row<TAB>column<TAB>value<TAB>reason`, the full
report is written as Excel (default: FILE's name + `.errors.xlsx` beside it), the last line is
`errors=K report=PATH` and the exit status 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied
from safetynet.determination import inclusion
from safetynet.registry import imports

PRINTED_PROBLEMS = 20


def _one_line(text: str) -> str:
    return " ".join(text.split())


class Command(BaseCommand):
    help = "直接纳入现有低保、特困、防返贫监测对象名册（Excel 或 CSV），不再重复排查认定"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--kind",
            required=True,
            choices=inclusion.RegisterKind.values,
            help="名册类型：dibao 低保、destitute 特困、relapse_watch 防止返贫监测对象",
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="以哪个用户的身份导入（默认取环境变量 SAFETYNET_USER）",
        )
        parser.add_argument("--report", metavar="PATH", help="错误报告的保存路径")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = self._acting_user(options["as_user"] or os.environ.get("SAFETYNET_USER", ""))
        result = inclusion.registers_include(
            actor=user,
            kind=options["kind"],
            content=path.read_bytes(),
            file_name=path.name,
            on_progress=lambda rows: self.stdout.write(f"已读取 {rows} 行"),
        )
        if result.ok:
            self.stdout.write(f"included={len(result.included)} unchanged={len(result.unchanged)}")
            return
        for problem in result.problems[:PRINTED_PROBLEMS]:
            fields = [problem.row_label, problem.column, problem.value, problem.reason]
            self.stdout.write("\t".join(_one_line(field) for field in fields))
        report = (
            Path(options["report"])
            if options["report"]
            else path.with_name(imports.report_file_name(path.name))
        )
        report.write_bytes(
            imports.error_report_workbook(file_name=path.name, problems=result.problems)
        )
        self.stdout.write(f"errors={len(result.problems)} report={report}")
        self.stdout.flush()
        sys.exit(1)

    def _acting_user(self, username: str) -> User:
        if not username:
            raise CommandError(
                "请用 --as 用户名 指定以哪个用户的身份导入，或设置环境变量 SAFETYNET_USER"
            )
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在或已停用")
        try:
            inclusion.require_inclusion(user)
        except PermissionDenied as exc:
            raise CommandError(f"用户 {username}：{exc}") from exc
        return user
