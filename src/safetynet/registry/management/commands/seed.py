"""`safetynet seed --county CODE --households N --seed S`: fill a county with deterministic
synthetic households (same arguments, same people). Safe to re-run: households already present
are skipped. Prints a line per batch and `created=N skipped=M` last."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.services import AccountError, system_user
from safetynet.registry.synthetic import BATCH_SIZE, SeedError, households_seed


class Command(BaseCommand):
    help = "为一个县生成可复现的合成家庭数据"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", required=True, help="县级区划代码（6 或 12 位），如 410225")
        parser.add_argument("--households", type=int, required=True, help="生成的家庭数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

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
        self.stdout.write(f"created={result.created} skipped={result.skipped}")
