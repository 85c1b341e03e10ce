"""The shell of a console import of one file as a user (`import-households`, determination's
`include-registers`): the arguments, the acting user and the output, which are contracts.

On success the last line is the command's counts (`created=N unchanged=M`) and the exit status 0.
On any problem nothing is written: the first 20 problems are printed as
`row<TAB>column<TAB>value<TAB>reason`, the full report is written as Excel (default: FILE's name +
`.errors.xlsx` beside it), the last line is `errors=K report=PATH` and the exit status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.console import console_user
from safetynet.accounts.models import User
from safetynet.registry.imports import (
    ImportResult,
    RowProblem,
    error_report_workbook,
    report_file_name,
)

PRINTED_PROBLEMS = 20


def _one_line(text: str) -> str:
    return " ".join(text.split())


class FileImportCommand(BaseCommand):
    """A command imports ``FILE`` by ``import_file`` as the user ``authorise`` accepts and says
    what it did by ``summary``; everything else is this shell's."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")
        self.add_import_arguments(parser)
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="以哪个用户的身份导入（默认取环境变量 SAFETYNET_USER）",
        )
        parser.add_argument("--report", metavar="PATH", help="错误报告的保存路径")

    def add_import_arguments(self, parser: CommandParser) -> None:
        """The command's own arguments, between FILE and ``--as``."""

    def authorise(self, user: User) -> None:
        """A ``CommandError`` unless ``user`` may run the import."""
        raise NotImplementedError

    def import_file(
        self, *, user: User, path: Path, options: dict[str, Any], on_progress: Callable[[int], None]
    ) -> ImportResult:
        raise NotImplementedError

    def summary(self, result: Any) -> str:
        """The success line, e.g. ``created=N unchanged=M``."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = console_user(options["as_user"], doing="导入")
        self.authorise(user)
        result = self.import_file(
            user=user,
            path=path,
            options=options,
            on_progress=lambda rows: self.stdout.write(f"已读取 {rows} 行"),
        )
        if result.ok:
            self.stdout.write(self.summary(result))
            return
        self._refuse(path, options["report"], result.problems)

    def _refuse(self, path: Path, report_path: str | None, problems: list[RowProblem]) -> None:
        for problem in problems[:PRINTED_PROBLEMS]:
            fields = [problem.row_label, problem.column, problem.value, problem.reason]
            self.stdout.write("\t".join(_one_line(field) for field in fields))
        report = Path(report_path) if report_path else path.with_name(report_file_name(path.name))
        report.write_bytes(error_report_workbook(file_name=path.name, problems=problems))
        self.stdout.write(f"errors={len(problems)} report={report}")
        self.stdout.flush()
        sys.exit(1)
