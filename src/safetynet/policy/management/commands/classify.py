"""`safetynet classify FILE.json` (or `-` for stdin): classify one household given in the JSON
format documented in the README and print the result as JSON on stdout.

Problems with the input go to stderr, one per line as `path: reason`, with exit status 1; so
does a region and date for which no standards are configured, unless the file gives
`standards.dibao_monthly` itself.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.http import Http404

from safetynet.policy.assessment import facts as facts_module
from safetynet.policy.assessment import json_format, json_reader
from safetynet.policy.assessment.classifier import classify
from safetynet.policy.assessment.selectors import resolve_standards
from safetynet.policy.standards.selectors import StandardsMissing


class Command(BaseCommand):
    help = "按地方标准评估一户家庭的救助类别（输入、输出均为 JSON）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.json", help="家庭数据文件；- 表示从标准输入读取")

    def _fail(self, lines: list[str]) -> NoReturn:
        for line in lines:
            self.stderr.write(line)
        self.stderr.flush()
        sys.exit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8-sig") as handle:
                    text = handle.read()
        except OSError as exc:
            self._fail([f"无法读取文件 {path}：{exc.strerror or exc}"])
        except UnicodeDecodeError:
            self._fail([f"文件 {path} 不是 UTF-8 编码的文本"])
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail([f"输入不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}"])
        try:
            facts, overrides = json_format.facts_from_json(data)
        except json_reader.FactsError as exc:
            self._fail([f"输入有 {len(exc.problems)} 处错误："] + [str(p) for p in exc.problems])
        try:
            standards = resolve_standards(facts, overrides)
        except Http404 as exc:
            self._fail([f"region: {exc}"])
        except StandardsMissing as exc:
            self._fail([f"{exc}；可在输入文件的 standards.dibao_monthly 中给出低保标准后重试"])
        result = facts_module.classification_to_json(classify(facts, standards))
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        self.stdout.flush()
