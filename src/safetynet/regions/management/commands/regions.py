"""`safetynet regions show CODE` and `safetynet regions load [--file PATH]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from safetynet.regions import selectors, services
from safetynet.regions.models import Level


class Command(BaseCommand):
    help = "查看或加载行政区划"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="显示区划、其上级及各级下辖数量")
        show.add_argument("code", help="区划代码（2、4、6、9 或 12 位）")
        load = sub.add_parser("load", help="从 data/regions/henan.csv 加载或刷新区划")
        load.add_argument("--file", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            result = services.regions_load(path=options["file"])
            self.stdout.write(f"created={result.created} updated={result.updated}")
            return
        try:
            region = selectors.region_get(code=options["code"])
        except Http404 as exc:
            raise CommandError(str(exc)) from exc
        labels = dict(Level.choices)
        self.stdout.write(f"{region.code} {region.name} [{labels[region.level]}]")
        if region.urban_rural:
            self.stdout.write(f"城乡分类：{region.get_urban_rural_display()}")
        ancestors = selectors.region_ancestors(region=region)
        if ancestors:
            chain = " > ".join(f"{parent.name}({parent.code})" for parent in ancestors)
            self.stdout.write(f"上级：{chain}")
        else:
            self.stdout.write("上级：无")
        counts = selectors.region_descendant_counts(region=region)
        self.stdout.write("下辖：" if counts else "下辖：无")
        for level, count in counts.items():
            self.stdout.write(f"  {labels[level]} {count}")
