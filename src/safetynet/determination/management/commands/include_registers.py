"""`safetynet include-registers FILE --kind dibao|destitute|relapse_watch [--as USER]
[--report PATH]`: direct inclusion of an existing register from the console, with the web page's
validation, scope and audit.

On success the last line is `included=N unchanged=M` and the exit status 0; on any problem nothing
is written and the problems are reported as every console import does (``registry.console``):
the last line is `errors=K report=PATH` and the exit status 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied
from safetynet.determination import inclusion
from safetynet.registry.console import FileImportCommand


class Command(FileImportCommand):
    help = "直接纳入现有低保、特困、防返贫监测对象名册（Excel 或 CSV），不再重复排查认定"

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind",
            required=True,
            choices=inclusion.RegisterKind.values,
            help="名册类型：dibao 低保、destitute 特困、relapse_watch 防止返贫监测对象",
        )

    def authorise(self, user: User) -> None:
        try:
            inclusion.require_inclusion(user)
        except PermissionDenied as exc:
            raise CommandError(f"用户 {user.username}：{exc}") from exc

    def import_file(
        self, *, user: User, path: Path, options: dict[str, Any], on_progress: Callable[[int], None]
    ) -> inclusion.InclusionResult:
        return inclusion.registers_include(
            actor=user,
            kind=options["kind"],
            content=path.read_bytes(),
            file_name=path.name,
            on_progress=on_progress,
        )

    def summary(self, result: inclusion.InclusionResult) -> str:
        return f"included={len(result.included)} unchanged={len(result.unchanged)}"
