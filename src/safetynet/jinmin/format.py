"""The exchange format, version 1.0 (documented in ``docs/jinmin-exchange.md``): UTF-8 CSV files
with a header row, and ``manifest.json`` naming each file with its row count and SHA-256. A
change of columns is a new version; an import refuses a version it does not know."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

FORMAT_NAME = "safetynet-jinmin"
FORMAT_VERSION = "1.0"
MANIFEST = "manifest.json"

HOUSEHOLDS = "households.csv"
PERSONS = "persons.csv"
CATEGORIES = "categories.csv"
CHANGES = "changes.csv"

COLUMNS: dict[str, tuple[str, ...]] = {
    HOUSEHOLDS: (
        "household_key",
        "region_code",
        "residence",
        "head_id_number",
        "member_count",
        "category",
        "relapse_watch",
    ),
    PERSONS: (
        "id_number",
        "name",
        "sex",
        "birth_date",
        "household_key",
        "relation",
        "co_resident",
        "region_code",
    ),
    CATEGORIES: (
        "household_key",
        "id_number",
        "category",
        "effective_from",
        "effective_to",
    ),
    CHANGES: (
        "kind",
        "household_key",
        "id_number",
        "value",
        "effective_from",
        "effective_to",
        "recorded_on",
    ),
}
FILES = (HOUSEHOLDS, PERSONS, CATEGORIES, CHANGES)
# The files an import compares (a national list may come without categories or changes).
REQUIRED_FOR_IMPORT = (HOUSEHOLDS, PERSONS)


class FormatError(ValueError):
    """A file set that does not follow the format; the message says which file and why."""


class HashingWriter:
    """Writes CSV rows to a file while counting them and hashing the bytes written."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path = path
        self.rows = 0
        self._sha = hashlib.sha256()
        self._file = path.open("wb")
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, lineterminator="\n")
        self._csv.writerow(columns)
        self._flush()

    def _flush(self) -> None:
        data = self._buffer.getvalue().encode("utf-8")
        self._sha.update(data)
        self._file.write(data)
        self._buffer.seek(0)
        self._buffer.truncate()

    def write_many(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self._csv.writerow(["" if v is None else v for v in row])
            self.rows += 1
        self._flush()

    def close(self) -> dict[str, Any]:
        self._flush()
        self._file.close()
        return {"rows": self.rows, "sha256": self._sha.hexdigest()}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_write(directory: Path, manifest: dict[str, Any]) -> str:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
    (directory / MANIFEST).write_text(text + "\n", encoding="utf-8")
    return hashlib.sha256((text + "\n").encode("utf-8")).hexdigest()


def manifest_read(directory: Path) -> dict[str, Any]:
    """The manifest, checked: known format and version, every listed file present with the
    stated SHA-256 and row count."""
    path = directory / MANIFEST
    if not path.is_file():
        raise FormatError(f"缺少 {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise FormatError(f"{MANIFEST} 不是有效的 JSON") from exc
    if manifest.get("format") != FORMAT_NAME:
        raise FormatError(f"{MANIFEST} 的格式名称应为 {FORMAT_NAME}")
    if manifest.get("version") != FORMAT_VERSION:
        raise FormatError(f"不支持的格式版本 {manifest.get('version')}（应为 {FORMAT_VERSION}）")
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise FormatError(f"{MANIFEST} 缺少 files")
    for name in REQUIRED_FOR_IMPORT:
        if name not in files:
            raise FormatError(f"{MANIFEST} 未列出 {name}")
    for name, facts in files.items():
        if name not in COLUMNS:
            raise FormatError(f"{MANIFEST} 列出了未知文件 {name}")
        file = directory / name
        if not file.is_file():
            raise FormatError(f"缺少文件 {name}")
        if sha256_of(file) != facts.get("sha256"):
            raise FormatError(f"{name} 的 SHA-256 与清单不符（文件不完整或被改动）")
    return manifest


def rows_of(directory: Path, name: str) -> Iterator[dict[str, str]]:
    """The rows of one file as dicts, the header checked against the format."""
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS[name]:
            raise FormatError(f"{name} 的表头应为 {','.join(COLUMNS[name])}")
        yield from reader
