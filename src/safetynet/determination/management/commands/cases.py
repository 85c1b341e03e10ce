"""`safetynet cases due --region CODE [--date YYYY-MM-DD] [--within N] [--as USER]`: the cases of
a region that are overdue or due within N working days (default 3), one line each:

    CASE<TAB>TYPE<TAB>STEP<TAB>DUE<TAB>DAYS_LEFT

(case number, application type and step as their codes, the earlier of the step's and the whole
procedure's due dates, working days left — negative when overdue), overdue cases first, then a
last line ``due=N overdue=M``. Without ``--as`` the console reads the region unrestricted (it
prints no personal data); with it, only what that user may see.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied, require
from safetynet.accounts.roles import Capability
from safetynet.console import command_date
from safetynet.determination.selectors import QueueRow, cases_due
from safetynet.regions.codes import normalise_code
from safetynet.regions.models import Region


@dataclass(frozen=True)
class _Console:
    """The operator at the server's console, scoped to the region asked about."""

    scope_region: Region
    is_authenticated: bool = True
    is_active: bool = True


class Command(BaseCommand):
    help = "认定案件办理时限：列出到期和超期的案件"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{due}")
        due = sub.add_parser("due", help="列出即将到期和已超期的案件")
        due.add_argument("--region", required=True, metavar="CODE", help="区划代码")
        due.add_argument("--date", metavar="YYYY-MM-DD", help="按哪一天计算（默认今天）")
        due.add_argument(
            "--within", type=int, default=3, metavar="N", help="N 个工作日内到期（默认 3）"
        )
        due.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="以哪个用户的身份查看（默认取环境变量 SAFETYNET_USER；均未设置时不限范围）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = command_date(options["date"]) if options["date"] else timezone.localdate()
        if options["within"] < 0:
            raise CommandError("--within 不能为负数")
        try:
            code = normalise_code(options["region"])
        except ValueError as exc:
            raise CommandError(f"区划代码无效：{exc}") from None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(f"区划代码不存在：{options['region']}")
        username = options["as_user"] or os.environ.get("SAFETYNET_USER", "")
        reader: Any = self._user(username) if username else _Console(scope_region=region)
        summary = cases_due(user=reader, today=today, region_code=code, within=options["within"])
        for row in [*summary.overdue, *summary.due]:
            self.stdout.write(self._line(row))
        self.stdout.write(f"due={len(summary.due)} overdue={len(summary.overdue)}")

    @staticmethod
    def _line(row: QueueRow) -> str:
        application = row.application
        due = row.effective_due_on
        return "\t".join(
            [
                application.number,
                application.type,
                application.status,
                due.isoformat() if due else "",
                str(row.effective_days_left),
            ]
        )

    @staticmethod
    def _user(username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在或已停用")
        try:
            require(user, Capability.VIEW_CASES)
        except PermissionDenied as exc:
            raise CommandError(f"用户 {username}：{exc}") from exc
        return user
