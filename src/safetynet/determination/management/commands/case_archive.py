"""`safetynet case-archive CASE --out FILE.zip [--as USER]`: export a case's electronic archive
(ZIP with an index PDF, the notices, the attachments, the timeline and a signed manifest) with
the same scope and audit as the web download. CASE is the case id or its number
(``410105-2026-000012``).

On success one line, `archive=PATH case=NUMBER files=N manifest_sha256=HEX`, exit status 0.

`safetynet case-archive --verify FILE.zip` checks an archive's integrity: one line per problem
(`problem PATH: MESSAGE`), then `ok case=NUMBER files=N` and exit status 0 if it is intact, or
`problems=N` and exit status 1.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from safetynet.accounts.console import console_user
from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied, require
from safetynet.accounts.roles import Capability
from safetynet.determination.documents import archive
from safetynet.determination.documents.notices import NoticeUnavailable

CASE_NUMBER = re.compile(r"^\d{6}-\d{4}-(\d{6,})$")


def case_id(value: str) -> int:
    value = value.strip()
    if value.isdigit():
        return int(value)
    match = CASE_NUMBER.match(value)
    if match is None:
        raise CommandError(f"案件“{value}”无效：应为案件 ID 或案件编号（如 410105-2026-000012）")
    return int(match.group(1))


class Command(BaseCommand):
    help = "导出案件电子档案(ZIP)，或用 --verify 核验电子档案的完整性"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case", nargs="?", metavar="CASE", help="案件 ID 或案件编号")
        parser.add_argument("--out", metavar="FILE.zip", help="档案保存路径")
        parser.add_argument("--verify", metavar="FILE.zip", help="核验一个已导出的电子档案")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="以哪个用户的身份导出（默认取环境变量 SAFETYNET_USER）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"]:
            if options["case"] or options["out"]:
                raise CommandError("--verify 只需要档案文件，不能同时指定案件或 --out")
            self._verify(Path(options["verify"]))
            return
        if not options["case"] or not options["out"]:
            raise CommandError("请指定案件和 --out 保存路径，或用 --verify 档案文件 核验")
        user = self._acting_user(options["as_user"])
        pk = case_id(options["case"])
        try:
            payload = archive.case_archive(user=user, application=pk)
        except Http404 as exc:
            raise CommandError("未找到该案件，或不在您的管辖范围内") from exc
        except (archive.ArchiveError, NoticeUnavailable) as exc:
            raise CommandError(exc.message) from exc
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(payload)
        summary = archive.archive_summary(payload)
        with zipfile.ZipFile(io.BytesIO(payload)) as written:
            manifest_sha = hashlib.sha256(written.read(archive.MANIFEST)).hexdigest()
        self.stdout.write(
            f"archive={out} case={summary['case']} files={summary['files']} "
            f"manifest_sha256={manifest_sha}"
        )

    def _verify(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        payload = path.read_bytes()
        problems = archive.archive_verify(payload)
        for problem in problems:
            self.stdout.write(f"problem {problem.path or '-'}: {problem.message}")
        if problems:
            self.stdout.write(f"problems={len(problems)}")
            raise SystemExit(1)
        summary = archive.archive_summary(payload)
        self.stdout.write(f"ok case={summary['case']} files={summary['files']}")

    def _acting_user(self, username: str | None) -> User:
        user = console_user(username, doing="导出")
        try:
            require(user, Capability.VIEW_CASES)
        except PermissionDenied as exc:
            raise CommandError(f"用户 {user.username}：{exc}") from exc
        return user
