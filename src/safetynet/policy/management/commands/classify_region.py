"""`safetynet classify-region CODE [--date YYYY-MM-DD] [--as USER] [--out FILE.xlsx]`: classify
every household of a region in one set-based pass and print, per recorded category, how many
households the pass proposes in each category. With ``--out``, the cross table and the
differing households go to an Excel file (an audited export). The last line is
`households=N differ=M`.

``--as`` names the account whose scope and capabilities apply; without it the console's
system account (province scope) runs the pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.services import system_user
from safetynet.console import command_date
from safetynet.policy import bulk


class Command(BaseCommand):
    help = "按地方标准对一个区划内的全部家庭批量评估救助类别，列出与登记类别不一致的家庭"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", metavar="CODE", help="区划代码（6、9 或 12 位），如 410225")
        parser.add_argument("--date", help="评估日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--as", dest="username", help="以该账号的权限和管辖范围运行")
        parser.add_argument("--out", help="把类别对照表和差异家庭清单导出为 Excel 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        on = command_date(options["date"]) if options["date"] else timezone.localdate()
        if options["username"]:
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"账号不存在：{options['username']}")
        else:
            user = system_user()
        try:
            result = bulk.classify_region(user=user, region_code=options["code"], on=on)
        except Http404 as exc:
            raise CommandError(str(exc)) from exc
        except bulk.BulkError as exc:
            raise CommandError(str(exc)) from exc

        region = result.region
        self.stdout.write(
            f"{region.full_name or region.name}（{region.code}）评估日期 {on.isoformat()}："
            f"提取 {result.timings['extract']:.2f} s，评估 {result.timings['classify']:.2f} s"
        )
        labels = [bulk.CATEGORY_LABELS[c] for c in bulk.CATEGORY_ORDER]
        self.stdout.write("登记\\评估\t" + "\t".join(labels) + "\t合计")
        crosstab = result.crosstab()
        for recorded, cells, total in crosstab.rows():
            line = "\t".join(str(c) for c in cells)
            self.stdout.write(f"{bulk.CATEGORY_LABELS[recorded]}\t{line}\t{total}")
        if result.uses_example_standards:
            self.stdout.write("注意：采用的地方标准含示例数值（未引自正式文件）")
        if options["out"]:
            try:
                content = bulk.result_export(user=user, result=result)
            except bulk.BulkError as exc:
                raise CommandError(str(exc)) from exc
            path = Path(options["out"])
            try:
                path.write_bytes(content)
            except OSError as exc:
                raise CommandError(f"无法写入 {path}：{exc.strerror or exc}") from exc
            self.stdout.write(f"已导出：{path}")
        self.stdout.write(f"households={result.count} differ={result.differences.num_rows}")
