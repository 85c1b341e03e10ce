"""`safetynet seed --county CODE --households N --seed S`: fill a county with deterministic
synthetic households (same arguments, same people). Safe to re-run: households already present
are skipped. Then, unless `--no-demo-work`, the work to practise on of issue 11 (cases in every
step, reviews due, a department batch, a verification report, change reports; once per county,
``SEED_DEMO_WORK``). Prints a line per batch, the demo work, and `created=N skipped=M` last."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from safetynet.accounts.services import AccountError, system_user
from safetynet.registry.synthetic import BATCH_SIZE, SeedError, households_seed


class Command(BaseCommand):
    help = "为一个县生成可复现的合成家庭数据"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", required=True, help="县级区划代码（6 或 12 位），如 410225")
        parser.add_argument("--households", type=int, required=True, help="生成的家庭数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
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
