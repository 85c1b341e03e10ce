"""Exchange writes: the export of the low-income database for the national system, and the
import of the national system's lists, compared against the registry without changing it.

Both stream: rows are read from the database in chunks (one query each, ordered by key), and an
import reads the national files row by row, looking its ID numbers up by blind index a chunk at a
time. Only the set of national persons' blind indexes (32 bytes each) is held whole, to find the
registry's persons the national list lacks.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope, scope_prefix
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.core.chunks import batched
from safetynet.jinmin import format as fmt
from safetynet.jinmin.models import Exchange, ExchangeKind
from safetynet.jobs.exports import Written, export
from safetynet.jobs.services import JobError
from safetynet.jobs.tasks import ProgressFn
from safetynet.masking import mask_id_number
from safetynet.regions.codes import prefix_bounds
from safetynet.registry.identity import (
    InvalidIdNumber,
    blind_index,
    decrypt_id_number,
    parse_id_number,
)
from safetynet.registry.models import (
    CategoryStatus,
    Household,
    Membership,
    RelapseWatchStatus,
)

CHUNK = 5000
SAMPLE = 200


class ExchangeError(Exception):
    pass


def _region(actor: User, region_code: str) -> str:
    """The 12-digit code the exchange covers: the given one (within the actor's scope) or the
    actor's scope."""
    prefix = scope_prefix(actor)
    if prefix is None:
        raise ExchangeError("账号没有管辖范围")
    code = (region_code or prefix).strip()
    code = code.ljust(12, "0")
    if not (code.isdigit() and len(code) == 12) or not in_scope(code, user=actor):
        raise ExchangeError(f"地区 {region_code} 不在管辖范围内")
    return code


def _significant(code: str) -> str:
    """The code's significant prefix (410105000000 → 410105; a village keeps all 12 digits)."""
    for digits in (2, 4, 6, 9, 12):
        if code[digits:].strip("0") == "":
            return code[:digits]
    return code


def _key(household_id: int) -> str:
    return f"H{household_id}"


def _in_region(field: str, code: str) -> Q:
    lo, hi = prefix_bounds(_significant(code))
    return Q(**{f"{field}__gte": lo, f"{field}__lte": hi})


# --- export -------------------------------------------------------------------------------------


def _households(code: str) -> Iterator[list[Any]]:
    rows = (
        Household.objects.filter(_in_region("region_id", code))
        .order_by("id")
        .values_list(
            "id",
            "region_id",
            "residence",
            "head__id_number_encrypted",
            "member_count",
            "category",
            "relapse_watch",
        )
    )
    for pk, region, residence, head_token, members, category, watch in rows.iterator(CHUNK):
        head = decrypt_id_number(head_token) if head_token else ""
        yield [_key(pk), region, residence, head, members, category, watch]


def _persons(code: str) -> Iterator[list[Any]]:
    rows = (
        Membership.objects.filter(_in_region("household__region_id", code), left_on__isnull=True)
        .order_by("household_id", "id")
        .values_list(
            "person__id_number_encrypted",
            "person__name",
            "person__sex",
            "person__birth_date",
            "household_id",
            "relation",
            "co_resident",
            "household__region_id",
        )
    )
    for token, name, sex, birth, household, relation, co_resident, region in rows.iterator(CHUNK):
        yield [
            decrypt_id_number(token),
            name,
            sex,
            birth.isoformat(),
            _key(household),
            relation,
            "1" if co_resident else "0",
            region,
        ]


def _categories(code: str) -> Iterator[list[Any]]:
    rows = (
        CategoryStatus.objects.filter(_in_region("household__region_id", code))
        .order_by("household_id", "effective_from", "id")
        .values_list(
            "household_id",
            "person__id_number_encrypted",
            "category",
            "effective_from",
            "effective_to",
        )
    )
    for household, token, category, start, end in rows.iterator(CHUNK):
        yield [
            _key(household),
            decrypt_id_number(token) if token else "",
            category,
            start.isoformat(),
            end.isoformat() if end else "",
        ]


def _changes(code: str, since: dt.date | None) -> Iterator[list[Any]]:
    """Category and anti-relapse statuses recorded since ``since`` (all of them without it)."""
    for model, kind, value_field in (
        (CategoryStatus, "category", "category"),
        (RelapseWatchStatus, "relapse_watch", "watch_type"),
    ):
        rows = model.objects.filter(_in_region("household__region_id", code))
        if since is not None:
            start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
            rows = rows.filter(created_at__gte=start)
        person_field = "person__id_number_encrypted" if model is CategoryStatus else "household_id"
        for household, token, value, start_on, end_on, created in (
            rows.order_by("created_at", "id")
            .values_list(
                "household_id",
                person_field,
                value_field,
                "effective_from",
                "effective_to",
                "created_at",
            )
            .iterator(CHUNK)
        ):
            person = decrypt_id_number(token) if model is CategoryStatus and token else ""
            yield [
                kind,
                _key(household),
                person,
                value,
                start_on.isoformat(),
                end_on.isoformat() if end_on else "",
                timezone.localtime(created).date().isoformat(),
            ]


def last_export_on(code: str) -> dt.date | None:
    last = (
        Exchange.objects.filter(kind=ExchangeKind.EXPORT, region_code=code)
        .order_by("-started_at")
        .first()
    )
    return timezone.localtime(last.started_at).date() if last is not None else None


def exchange_export(
    *,
    actor: User,
    out_dir: Path,
    since: dt.date | None = None,
    region_code: str = "",
    channel: str = "cli",
    client: Client | None = None,
) -> Exchange:
    """Write the export of a region (default: the actor's scope) to ``out_dir``: households,
    persons, categories, and the changes recorded since ``since`` (default: since the region's
    last export; everything at the first). ID numbers are written in full: the national system
    keys on them (ADR 0015)."""
    require(actor, Capability.EXCHANGE_JINMIN)
    code = _region(actor, region_code)
    if since is None:
        since = last_export_on(code)
    started = timezone.now()
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict[str, Any]] = {}
    sources = {
        fmt.HOUSEHOLDS: _households(code),
        fmt.PERSONS: _persons(code),
        fmt.CATEGORIES: _categories(code),
        fmt.CHANGES: _changes(code, since),
    }
    for name, rows in sources.items():
        writer = fmt.HashingWriter(out_dir / name, fmt.COLUMNS[name])
        try:
            for chunk in batched(rows, CHUNK):
                writer.write_many(chunk)
        finally:
            files[name] = writer.close()
    manifest = {
        "format": fmt.FORMAT_NAME,
        "version": fmt.FORMAT_VERSION,
        "region_code": code,
        "since": since.isoformat() if since else None,
        "exported_at": timezone.localtime(started).isoformat(timespec="seconds"),
        "files": files,
    }
    digest = fmt.manifest_write(out_dir, manifest)
    counts = {name: facts["rows"] for name, facts in files.items()}
    exchange = Exchange.objects.create(
        kind=ExchangeKind.EXPORT,
        region_code=code,
        format_version=fmt.FORMAT_VERSION,
        since=since,
        counts=counts,
        manifest_sha256=digest,
        actor=actor,
        channel=channel,
        started_at=started,
        finished_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="jinmin_exchange",
        object_id=exchange.pk,
        region_code=code,
        summary=f"导出金民工程交换数据（含完整身份证号）：{counts[fmt.PERSONS]} 人",
        detail={"counts": counts, "since": manifest["since"], "manifest_sha256": digest},
        client=client,
        channel=channel,
    )
    return exchange


# --- import -------------------------------------------------------------------------------------


@dataclass
class Differences:
    counts: dict[str, int]
    sample: list[dict[str, str]]
    writer: Any

    def add(self, kind: str, id_number: str, ours: str, theirs: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        masked = mask_id_number(id_number) if id_number else ""
        self.writer.writerow([kind, masked, ours, theirs])
        if len(self.sample) < SAMPLE:
            self.sample.append({"kind": kind, "id": masked, "ours": ours, "theirs": theirs})


DIFFERENCE_KINDS = {
    "person_missing_here": "金民工程有、本平台无的人员",
    "person_missing_there": "本平台有、金民工程无的人员",
    "name": "姓名不一致",
    "person_region": "所属村(居)不一致",
    "household_missing_here": "金民工程有、本平台无的家庭（按户主）",
    "household_missing_there": "本平台有、金民工程无的家庭（按户主）",
    "category": "救助类别不一致",
    "relapse_watch": "防返贫监测类型不一致",
    "member_count": "家庭人口不一致",
    "invalid_id": "身份证号无效",
}


def _compare_persons(directory: Path, code: str, diff: Differences) -> int:
    seen: set[bytes] = set()
    total = 0
    for chunk in batched(fmt.rows_of(directory, fmt.PERSONS), CHUNK):
        by_hash: dict[str, dict[str, str]] = {}
        for row in chunk:
            total += 1
            try:
                number = parse_id_number(row["id_number"]).number
            except InvalidIdNumber:
                diff.add("invalid_id", "", "", row["id_number"][:6] + "…")
                continue
            row["id_number"] = number
            by_hash[blind_index(number)] = row
        ours = {
            h: (name, region)
            for h, name, region in Membership.objects.filter(
                person__id_number_hash__in=list(by_hash), left_on__isnull=True
            ).values_list("person__id_number_hash", "person__name", "household__region_id")
        }
        for digest, row in by_hash.items():
            seen.add(bytes.fromhex(digest))
            found = ours.get(digest)
            if found is None:
                diff.add("person_missing_here", row["id_number"], "", row["name"])
                continue
            if found[0] != row["name"]:
                diff.add("name", row["id_number"], found[0], row["name"])
            if found[1] != row["region_code"]:
                diff.add("person_region", row["id_number"], found[1], row["region_code"])
    missing = (
        Membership.objects.filter(_in_region("household__region_id", code), left_on__isnull=True)
        .order_by("id")
        .values_list("person__id_number_hash", "person__id_number_encrypted", "person__name")
    )
    for digest, token, name in missing.iterator(CHUNK):
        if bytes.fromhex(digest) not in seen:
            diff.add("person_missing_there", decrypt_id_number(token), name, "")
    return total


def _compare_households(directory: Path, code: str, diff: Differences) -> int:
    seen: set[bytes] = set()
    total = 0
    for chunk in batched(fmt.rows_of(directory, fmt.HOUSEHOLDS), CHUNK):
        by_hash: dict[str, dict[str, str]] = {}
        for row in chunk:
            total += 1
            try:
                number = parse_id_number(row["head_id_number"]).number
            except InvalidIdNumber:
                diff.add("invalid_id", "", "", row["head_id_number"][:6] + "…")
                continue
            row["head_id_number"] = number
            by_hash[blind_index(number)] = row
        ours = {
            h: (category, watch, members)
            for h, category, watch, members in Household.objects.filter(
                head__id_number_hash__in=list(by_hash)
            ).values_list("head__id_number_hash", "category", "relapse_watch", "member_count")
        }
        for digest, row in by_hash.items():
            seen.add(bytes.fromhex(digest))
            found = ours.get(digest)
            number = row["head_id_number"]
            if found is None:
                diff.add("household_missing_here", number, "", row["category"])
                continue
            if found[0] != row["category"]:
                diff.add("category", number, found[0], row["category"])
            if found[1] != row["relapse_watch"]:
                diff.add("relapse_watch", number, found[1], row["relapse_watch"])
            if str(found[2]) != row["member_count"]:
                diff.add("member_count", number, str(found[2]), row["member_count"])
    heads = (
        Household.objects.filter(_in_region("region_id", code))
        .order_by("id")
        .values_list("head__id_number_hash", "head__id_number_encrypted", "category")
    )
    for digest, token, category in heads.iterator(CHUNK):
        if digest and bytes.fromhex(digest) not in seen:
            diff.add("household_missing_there", decrypt_id_number(token), category, "")
    return total


def exchange_import(
    *,
    actor: User,
    in_dir: Path,
    channel: str = "cli",
    client: Client | None = None,
) -> Exchange:
    """Compare the national system's lists in ``in_dir`` with the registry, for the region the
    manifest names (which must be in the actor's scope). Nothing in the registry changes: the
    differences are counted by kind, kept as a report (ID numbers masked) and a sample."""
    require(actor, Capability.EXCHANGE_JINMIN)
    started = timezone.now()
    try:
        manifest = fmt.manifest_read(in_dir)
    except fmt.FormatError as exc:
        raise ExchangeError(str(exc)) from exc
    code = _region(actor, str(manifest.get("region_code") or ""))
    report_dir = Path(settings.JINMIN_DIR) / "reports"
    report_dir.mkdir(parents=True, exist_ok=True)
    report = report_dir / f"differences-{code}-{started:%Y%m%d%H%M%S%f}.csv"
    with report.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kind", "id_number_masked", "ours", "theirs"])
        diff = Differences(counts={}, sample=[], writer=writer)
        try:
            persons = _compare_persons(in_dir, code, diff)
            households = _compare_households(in_dir, code, diff)
        except fmt.FormatError as exc:
            raise ExchangeError(str(exc)) from exc
    exchange = Exchange.objects.create(
        kind=ExchangeKind.IMPORT,
        region_code=code,
        format_version=fmt.FORMAT_VERSION,
        counts={fmt.PERSONS: persons, fmt.HOUSEHOLDS: households},
        manifest_sha256=fmt.sha256_of(in_dir / fmt.MANIFEST),
        differences=diff.counts,
        sample=diff.sample,
        report_path=str(report),
        actor=actor,
        channel=channel,
        started_at=started,
        finished_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        object_type="jinmin_exchange",
        object_id=exchange.pk,
        region_code=code,
        summary=f"导入金民工程名单比对：差异 {exchange.difference_total} 条",
        detail={"counts": exchange.counts, "differences": diff.counts},
        client=client,
        channel=channel,
    )
    return exchange


@export(
    kind="jinmin.exchange_export",
    label="金民工程交换文件",
    suffix="zip",
    object_type="jinmin_exchange",
)
def exchange_export_write(
    *, user: User, params: dict[str, str], out: Path, progress: ProgressFn | None = None
) -> Written:
    """The page's 导出（ZIP）, as a job: ``exchange_export`` of the creator's scope (recorded
    and audited there) into a folder, zipped into the job's file."""
    since = dt.date.fromisoformat(params["since"]) if params.get("since") else None
    with tempfile.TemporaryDirectory() as folder:
        try:
            exchange = exchange_export(
                actor=user,
                out_dir=Path(folder),
                since=since,
                channel=params.get("channel", "web"),
                client=Client(ip=params.get("ip", ""), channel=params.get("channel", "web")),
            )
        except ExchangeError as exc:
            raise JobError(str(exc)) from exc
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in (*fmt.FILES, fmt.MANIFEST):
                archive.write(Path(folder) / name, name)
    rows = sum(int(n) for n in exchange.counts.values())
    return Written(
        rows=rows,
        filename=f"金民工程交换-{exchange.region_code[:6]}-{timezone.localdate():%Y%m%d}.zip",
        summary="",
        audited=True,
        result={"exchange": exchange.pk},
    )
