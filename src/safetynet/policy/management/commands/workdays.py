"""`safetynet workdays add DATE N` prints the N-th working day after DATE (YYYY-MM-DD);
`safetynet workdays between A B` prints the working days from A to B; `safetynet workdays year
YYYY` lists the year's holidays and adjusted working days.

The answer alone goes to stdout so that scripts can use it; coverage warnings (a year whose
schedule is not entered yet) go to stderr and the exit status stays 0. Bad input exits 1.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.console import command_date
from safetynet.policy.calendar import workdays


def _int(raw: str, what: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise CommandError(f"{what}须为整数：{raw}") from None


class Command(BaseCommand):
    help = "按国家法定节假日和调休安排计算工作日"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,between,year}")
        add = sub.add_parser("add", help="DATE 之后第 N 个工作日（N 为负数时为之前）")
        add.add_argument("date", metavar="DATE")
        add.add_argument("n", metavar="N")
        between = sub.add_parser("between", help="A 之后到 B（含）的工作日数")
        between.add_argument("a", metavar="A")
        between.add_argument("b", metavar="B")
        year = sub.add_parser("year", help="列出一年的放假和调休上班日期")
        year.add_argument("year", metavar="YYYY")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            start = command_date(options["date"])
            n = _int(options["n"], "工作日数")
            try:
                answer = workdays.due_date(start, n)
            except (ValueError, OverflowError) as exc:
                raise CommandError(f"无法计算：{exc}") from None
            self._warn(answer.warnings)
            self.stdout.write(answer.due.isoformat())
        elif action == "between":
            count = workdays.count_working_days(
                command_date(options["a"]), command_date(options["b"])
            )
            self._warn(count.warnings)
            self.stdout.write(str(count.count))
        else:
            self._year(_int(options["year"], "年份"))

    def _warn(self, warnings: tuple[str, ...]) -> None:
        for warning in warnings:
            self.stderr.write(f"警告：{warning}")

    def _year(self, year: int) -> None:
        try:
            schedule = workdays.year_schedule(year)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if schedule.warning:
            self._warn((schedule.warning,))
        for day in schedule.days:
            kind = "上班" if day.is_working_day else "放假"
            source = "数据包" if day.source == workdays.DaySource.PACKAGE else "录入"
            self.stdout.write(
                f"{day.date.isoformat()}\t{day.weekday_name}\t{kind}\t{day.name}\t{source}"
            )
        self.stdout.write(f"全年工作日 {schedule.working_day_count} 天")
