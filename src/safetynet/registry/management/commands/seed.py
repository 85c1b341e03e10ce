"""`safetynet seed --county CODE --households N --seed S`: fill a county with deterministic
synthetic households (same arguments, same people). Safe to re-run: households already present
are skipped. Then, unless `--no-demo-work`, the work to practise on of issue 11 (cases in every
step, reviews due, a department batch, a verification report, change reports; once per county,
``SEED_DEMO_WORK``). Prints a line per batch, the demo work, and `created=N skipped=M` last.

`safetynet seed --province [CODE] --households N --seed S [--workers W]` (PostgreSQL): the whole
province's low-income register, loaded with COPY by worker processes (``synthetic.province``),
then cases in every step and the annual reviews (``SEED_PROVINCE_WORK``). Prints a line per
county and per rebuilt index, then `created=N skipped=M persons=P seconds=S` last. Counties
that already have households are skipped, so `--stop-after SECONDS` loads the province in
several runs (each stops taking counties after that time; run it again for the rest)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from safetynet.accounts.services import AccountError, system_user
from safetynet.registry.synthetic import BATCH_SIZE, SeedError, households_seed
from safetynet.registry.synthetic.province import province_seed


class Command(BaseCommand):
    help = "为一个县（或全省）生成可复现的合成家庭数据"

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--county", help="县级区划代码（6 或 12 位），如 410225")
        where.add_argument(
            "--province",
            nargs="?",
            const="410000",
            help="省级区划代码（默认 410000 河南省）：按各县村(居)数分配家庭，PostgreSQL COPY 装载",
        )
        parser.add_argument("--households", type=int, required=True, help="生成的家庭数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--workers",
            type=int,
            default=min(4, os.cpu_count() or 1),
            help="--province 的生成进程数（默认为 CPU 核数，最多 4）",
        )
        parser.add_argument(
            "--stop-after",
            type=float,
            default=None,
            help="--province：超过该秒数后不再开始新的县（再次运行时继续装载其余各县）",
        )
        parser.add_argument(
            "--no-demo-work",
            dest="demo_work",
            action="store_false",
            help="只生成家庭，不生成演示用的案件、复核、部门数据等",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["households"] < 0:
            raise CommandError("--households 不能为负数")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size 至少为 1")
        if options["province"]:
            self._province(options)
            return
        try:
            result = households_seed(
                actor=system_user(),
                county_code=options["county"],
                count=options["households"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=lambda line: self.stdout.write(line),
            )
        except (SeedError, AccountError) as exc:
            raise CommandError(str(exc)) from exc
        if options["demo_work"] and settings.SEED_DEMO_WORK:
            # A dotted path: the work lives in apps below the registry (determination, feeds).
            work = import_string(settings.SEED_DEMO_WORK)(county_code=options["county"])
            self.stdout.write(work.summary())
        self.stdout.write(f"created={result.created} skipped={result.skipped}")

    def _province(self, options: dict[str, Any]) -> None:
        try:
            result = province_seed(
                actor=system_user(),
                province_code=options["province"],
                count=options["households"],
                seed=options["seed"],
                workers=options["workers"],
                with_work=options["demo_work"],
                stop_after=options["stop_after"],
                progress=lambda line: self.stdout.write(line, ending="\n"),
            )
        except (SeedError, AccountError) as exc:
            raise CommandError(str(exc)) from exc
        shares = " ".join(f"{k}={v}" for k, v in sorted(result.categories.items()))
        if shares:
            self.stdout.write(f"categories {shares}")
        self.stdout.write(
            f"created={result.created} skipped={result.skipped} persons={result.persons} "
            f"seconds={result.seconds:.0f}"
        )
