"""`safetynet import-households FILE [--as USERNAME] [--report PATH]`: the web import from the
console, with the same validation, scope and audit.

On success the last line is `created=N unchanged=M` and the exit status 0; on any problem nothing
is written and the problems are reported as every console import does (``registry.console``):
the last line is `errors=K report=PATH` and the exit status 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.registry import imports
from safetynet.registry.console import FileImportCommand


class Command(FileImportCommand):
    help = "从 Excel(.xlsx) 或 CSV 文件批量导入家庭和成员"

    def authorise(self, user: User) -> None:
        if not user.has_capability(Capability.IMPORT_HOUSEHOLDS):
            raise CommandError(f"用户 {user.username} 没有批量导入家庭的权限")

    def import_file(
        self, *, user: User, path: Path, options: dict[str, Any], on_progress: Callable[[int], None]
    ) -> imports.ImportResult:
        return imports.households_import(
            actor=user, content=path.read_bytes(), file_name=path.name, on_progress=on_progress
        )

    def summary(self, result: imports.ImportResult) -> str:
        return f"created={len(result.created)} unchanged={len(result.unchanged)}"
