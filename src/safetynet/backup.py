"""Backup and restore of a whole platform (``safetynet backup --out DIR`` / ``safetynet restore
DIR``, ADR 0017; GB/T 22239-2019 8.1.4.11 数据备份恢复).

A backup is a folder:

- ``database/NNN-app.model.jsonl.gz``: every table through Django's serialisation (JSON lines,
  gzip), one file per model in dependency order — engine-neutral, so a SQLite backup restores
  into PostgreSQL and back. ID numbers stay as stored: encrypted, blind-indexed (the keys are
  not in the backup; keep them apart, as in production);
- ``media/``: attachments, notices, visit photos, reports (``MEDIA_ROOT``);
- ``feeds/``: the stored department batches (``FEEDS_DIR``);
- ``manifest.json``: the time, the engine, the key ids (never the keys), every file's size and
  SHA-256, and the row count of every model.

``restore`` checks every file against the manifest before it touches anything, refuses a
database that already holds households, persons or audit records, loads the tables in one
transaction (foreign keys checked at the end), puts the files back, and compares every model's
row count with the manifest; the platform is in maintenance meanwhile. Run ``safetynet audit
verify`` afterwards: the hash chain is restored as it was.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from safetynet.core import maintenance

MANIFEST = "manifest.json"
FORMAT = 1
# Rebuilt by migrate on the target (content types, permissions) or not worth keeping (sessions,
# login attempts).
SKIPPED_APPS = {"contenttypes", "sessions", "axes"}
SKIPPED_MODELS = {"auth.permission"}
# Tables that make a database "not empty" for a restore.
GUARDED = ("registry.person", "registry.household", "audit.auditrecord")

Progress = Callable[[str], None]


class _FullPrecision(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; the audit chain hashes microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why, in Chinese."""


@dataclass(frozen=True)
class Outcome:
    folder: Path
    files: int
    rows: int


def _models() -> list[type[models.Model]]:
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.app_label not in SKIPPED_APPS
        and model._meta.label_lower not in SKIPPED_MODELS
        and not model._meta.proxy
        and model._meta.managed
    ]
    app_list: dict[Any, list[type[models.Model]]] = {}
    for model in chosen:
        app_list.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)


def _key_ids() -> dict[str, str]:
    from safetynet.registry import keyring  # the key ids, not the keys

    try:
        return {
            "algorithms": keyring.algorithm_set(),
            "encryption": keyring.current_encryption_kid(),
            "index": keyring.current_index_key().kid,
        }
    except keyring.KeyringError:
        return {}


def backup(out: Path, *, progress: Progress = lambda _: None) -> Outcome:
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"备份目录 {out} 不是空目录")
    (out / "database").mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    # One read transaction: every table as of the same moment (PostgreSQL: repeatable read
    # would be stricter; a backup is taken in a quiet hour or under maintenance).
    with transaction.atomic():
        for index, model in enumerate(_models()):
            label = model._meta.label_lower
            path = out / "database" / f"{index:03d}-{label}.jsonl.gz"
            queryset = model._default_manager.order_by("pk")
            with gzip.open(path, "wt", encoding="utf-8") as handle:
                serializers.serialize(
                    "jsonl",
                    queryset.iterator(chunk_size=2000),
                    stream=handle,
                    use_natural_foreign_keys=True,
                    cls=_FullPrecision,
                )
            counts[label] = queryset.count()
            progress(f"{label}: {counts[label]}")
    _copy_tree(Path(settings.MEDIA_ROOT), out / "media")
    _copy_tree(Path(settings.FEEDS_DIR), out / "feeds")
    files = {
        str(path.relative_to(out)): {"size": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "keys": _key_ids(),
        "counts": counts,
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return Outcome(folder=out, files=len(files), rows=sum(counts.values()))


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} 中没有 {MANIFEST}，不是平台的备份")
    manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不受支持")
    return manifest


def verify(folder: Path) -> list[str]:
    """Every problem of a backup folder against its manifest (empty: intact)."""
    folder = Path(folder)
    manifest = _manifest(folder)
    problems = []
    listed = manifest["files"]
    for relative, facts in listed.items():
        path = folder / relative
        if not path.is_file():
            problems.append(f"缺少文件 {relative}")
        elif path.stat().st_size != facts["size"] or _sha256(path) != facts["sha256"]:
            problems.append(f"文件 {relative} 与清单不符（SHA-256）")
    for path in folder.rglob("*"):
        relative = str(path.relative_to(folder))
        if path.is_file() and relative != MANIFEST and relative not in listed:
            problems.append(f"清单外的文件 {relative}")
    return problems


def _label(path: Path) -> str:
    return path.name.split("-", 1)[1].removesuffix(".jsonl.gz")


def restore(folder: Path, *, progress: Progress = lambda _: None) -> Outcome:
    folder = Path(folder)
    manifest = _manifest(folder)
    problems = verify(folder)
    if problems:
        raise BackupError("备份已损坏，未恢复任何内容：" + "；".join(problems[:5]))
    for label in GUARDED:
        if apps.get_model(label)._default_manager.exists():
            raise BackupError("目标数据库已有数据（家庭、人员或审计记录），请恢复到空数据库")
    with maintenance.on("restore"):
        files = sorted((folder / "database").glob("*.jsonl.gz"))
        with transaction.atomic():
            # Rows that migrate wrote (regions, standards, …) are replaced by the backup's.
            for path in reversed(files):
                apps.get_model(_label(path))._default_manager.all()._raw_delete(connection.alias)
            filled = [p for p in files if manifest["counts"].get(_label(p))]
            if filled:
                call_command("loaddata", *[str(p) for p in filled], verbosity=0)
        progress(f"database: {len(files)} tables")
        for name, target in (("media", settings.MEDIA_ROOT), ("feeds", settings.FEEDS_DIR)):
            _copy_tree(folder / name, Path(target))
        counts = {
            label: apps.get_model(label)._default_manager.count() for label in manifest["counts"]
        }
    differ = {k: (v, counts[k]) for k, v in manifest["counts"].items() if counts[k] != v}
    if differ:
        raise BackupError(f"恢复后的记录数与备份不符：{differ}")
    return Outcome(folder=folder, files=len(manifest["files"]), rows=sum(counts.values()))


def stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")
