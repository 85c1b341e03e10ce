"""The electronic archive of a case (电子档案): one ZIP holding everything the case produced, whose
integrity anyone holding it can check with ``archive_verify`` (or ``safetynet case-archive
--verify``).

Layout::

    index.pdf          the case, its timeline, and every file below with its size and SHA-256
    notices/…pdf       the notices the case has (receipt, decision or refusal, review outcome)
    attachments/…      the uploaded documents, byte for byte as uploaded
    timeline.json      the case's events
    manifest.json      format, case, export time and user, and per file: path, size, SHA-256
    manifest.sig       HMAC-SHA256 of manifest.json keyed by the installation's SECRET_KEY

A changed, missing or added file shows as a mismatch against the manifest; a manifest rewritten
to match a changed file shows as a wrong signature. The manifest's SHA-256 is also written to
the audit chain when the archive is exported, so an archive can be traced to its export.

An attachment whose stored bytes no longer match the SHA-256 recorded at upload is not packed:
the export is refused with the file named, rather than archiving a document that changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from reportlab.platypus import Flowable

from safetynet import documents as doc
from safetynet import zipcheck
from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination import selectors
from safetynet.determination.documents import layout, termination
from safetynet.determination.documents.layout import chinese_date
from safetynet.determination.documents.notices import (
    TITLES,
    NoticeKind,
    Places,
    available_kinds,
    notice_document,
    notice_keys,
    notice_queryset,
)
from safetynet.determination.documents.store import NoticeStore
from safetynet.determination.models import Application, Attachment, CaseEvent, Termination

FORMAT = "safetynet-case-archive/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
INDEX = "index.pdf"
TIMELINE = "timeline.json"
SALT = "safetynet.determination.documents.archive"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
MAX_NAME = 80


class ArchiveError(Exception):
    """An archive that cannot be exported, with a Chinese message saying why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ArchiveProblem:
    """One integrity problem of an archive: the file it is about ("" for the whole archive)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}：{self.message}" if self.path else self.message


@dataclass(frozen=True)
class _Entry:
    path: str
    data: bytes
    kind: str
    title: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sign(manifest: bytes, *, secret: str | None = None) -> str:
    return salted_hmac(SALT, manifest, secret=secret, algorithm="sha256").hexdigest()


def _signature_valid(manifest: bytes, signature: str) -> bool:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(hmac.compare_digest(sign(manifest, secret=s), signature) for s in secrets if s)


def _safe_name(name: str) -> str:
    """A file name that stays inside its folder of the ZIP and opens on Windows too."""
    cleaned = _UNSAFE.sub("_", name).strip(" .") or "file"
    if len(cleaned) > MAX_NAME:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = f"{stem[: MAX_NAME - len(suffix) - 1]}.{suffix}" if dot else cleaned[:MAX_NAME]
    return cleaned


def _attachment_entries(attachments: list[Attachment]) -> list[_Entry]:
    entries = []
    for number, attachment in enumerate(attachments, start=1):
        try:
            with attachment.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, ValueError) as exc:
            raise ArchiveError(
                f"材料“{attachment.original_name}”（第 {number} 个附件）的文件缺失，"
                "无法导出电子档案，请联系系统管理员"
            ) from exc
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            raise ArchiveError(
                f"材料“{attachment.original_name}”（第 {number} 个附件）的存档文件与上传时的"
                "SHA-256 校验值不一致，可能已被改动，无法导出电子档案，请联系系统管理员"
            )
        label = attachment.get_kind_display()
        entries.append(
            _Entry(
                path=f"attachments/{number:02d}-{_safe_name(label)}-"
                f"{_safe_name(attachment.original_name)}",
                data=data,
                kind="attachment",
                title=f"{label}：{attachment.original_name}",
            )
        )
    return entries


def _timeline(events: list[CaseEvent]) -> list[dict[str, Any]]:
    return [
        {
            "at": timezone.localtime(e.at).isoformat(),
            "on": e.on.isoformat(),
            "kind": e.kind,
            "kind_label": e.get_kind_display(),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": e.actor_name,
            "note": e.note,
        }
        for e in events
    ]


def _index_story(
    application: Application, entries: list[_Entry], timeline: list[dict[str, Any]]
) -> list[Flowable]:
    decision = getattr(application, "decision", None)
    outcome = decision.get_outcome_display() if decision is not None else "尚未作出决定"
    story: list[Flowable] = [
        *doc.title("案件电子档案目录", f"案件编号：{application.number}"),
        doc.facts(
            [
                ("申请类型", application.get_type_display()),
                ("办理环节", application.get_status_display()),
                ("申请人", application.applicant.name),
                ("身份证号", application.applicant.id_number_masked),
                ("所属村(居)", application.region.full_name or application.region.name),
                ("申请日期", chinese_date(application.applied_on)),
                ("受理日期", chinese_date(application.accepted_on)),
                ("认定结果", outcome),
            ]
        ),
        doc.heading(f"一、档案文件（共 {len(entries)} 个）"),
        doc.table(
            ("序号", "文件", "内容", "大小(字节)", "SHA-256"),
            [
                (str(i), entry.path, entry.title, f"{len(entry.data):,}", entry.sha256)
                for i, entry in enumerate(entries, start=1)
            ],
            widths=(0.06, 0.26, 0.2, 0.12, 0.36),
            numeric={0, 3},
            empty="无",
        ),
        doc.heading(f"二、办理记录（共 {len(timeline)} 条）"),
        doc.table(
            ("日期", "事项", "办理人", "说明"),
            [(e["on"], e["kind_label"], e["actor"], e["note"]) for e in timeline],
            widths=(0.14, 0.2, 0.16, 0.5),
            empty="无办理记录",
        ),
        doc.spacer(4),
        doc.note(
            f"说明：本档案的完整性由 {MANIFEST}（各文件的 SHA-256 校验值）及其签名 {SIGNATURE} "
            "保证，可用“safetynet case-archive --verify 档案文件”核验；本目录的校验值记载于 "
            f"{MANIFEST}。档案含个人信息，仅限依法依规使用。"
        ),
    ]
    return story


def _zip(entries: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    stamp = timezone.localtime(when).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def archive_name(application: Application) -> str:
    return f"案件档案-{application.number}.zip"


def _notice_entries(
    case: Application,
    kinds: list[str],
    terminations: list[Termination],
    store: NoticeStore,
    exported_at: dt.datetime,
) -> list[_Entry]:
    """The case's notices, then the notices of the terminations that ended its category."""
    places = Places.above([case.region_id])
    documents = [
        (str(TITLES[NoticeKind(kind)]), notice_document(case, kind, places, exported_at, store))
        for kind in kinds
    ]
    documents += [
        (layout.TERMINATION_TITLE, termination.notice_document(t, store, exported_at))
        for t in terminations
    ]
    return [
        _Entry(
            path=f"notices/{order:02d}-{title}.pdf",
            data=doc.render(meta, story),
            kind="notice",
            title=title,
        )
        for order, (title, (meta, story)) in enumerate(documents, start=1)
    ]


def _manifest(
    case: Application, files: list[_Entry], *, user: User, exported_at: dt.datetime
) -> bytes:
    return json.dumps(
        {
            "format": FORMAT,
            "case": {
                "id": case.pk,
                "number": case.number,
                "type": case.type,
                "status": case.status,
                "region": case.region_id,
            },
            "exported_at": timezone.localtime(exported_at).isoformat(),
            "exported_by": getattr(user, "username", ""),
            "files": [
                {
                    "path": f.path,
                    "kind": f.kind,
                    "title": f.title,
                    "size": len(f.data),
                    "sha256": f.sha256,
                }
                for f in files
            ],
        },
        ensure_ascii=False,
        indent=1,
    ).encode()


def case_archive(
    *, user: User, application: Application | int, client: Client | None = None
) -> bytes:
    """The case's electronic archive as ZIP bytes; the export is audited with the manifest's
    SHA-256. Raises Http404 outside the user's scope, ``ArchiveError`` if a stored attachment
    is missing or changed."""
    require(user, Capability.VIEW_CASES, message="您没有导出认定案件电子档案的权限")
    pk = application if isinstance(application, int) else application.pk
    selectors.case_get(user=user, pk=pk)  # the scope check: 404 outside it
    case = notice_queryset().get(pk=pk)
    exported_at = timezone.now()
    terminations = termination.decided_terminations(case)
    kinds = available_kinds(case)
    store = NoticeStore(
        [
            *(key for kind in kinds for key in notice_keys([case], kind)),
            *(termination.notice_key(t) for t in terminations),
        ]
    )
    entries = _notice_entries(case, kinds, terminations, store, exported_at)
    store.save(actor=user)
    entries += _attachment_entries(list(case.attachments.all()))
    events = list(CaseEvent.objects.filter(application=case).order_by("at", "id"))
    timeline = _timeline(events)
    entries.append(
        _Entry(
            path=TIMELINE,
            data=json.dumps(timeline, ensure_ascii=False, indent=1).encode(),
            kind="timeline",
            title="办理记录",
        )
    )
    index = _Entry(
        path=INDEX,
        data=doc.render(
            doc.DocumentMeta(
                title="案件电子档案目录", number=case.number, generated_at=exported_at
            ),
            _index_story(case, entries, timeline),
        ),
        kind="index",
        title="档案目录",
    )
    files = [index, *entries]
    manifest = _manifest(case, files, user=user, exported_at=exported_at)
    payload = _zip(
        [
            *((f.path, f.data) for f in files),
            (MANIFEST, manifest),
            (SIGNATURE, sign(manifest).encode()),
        ],
        exported_at,
    )
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="determination_application",
        object_id=case.pk,
        region_code=case.region_id,
        summary=f"导出案件电子档案 {case.number}（{len(files)} 个文件）",
        detail={
            "number": case.number,
            "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
            "files": len(files),
        },
        client=client,
    )
    return payload


def _manifest_files(manifest: Any) -> list[dict[str, Any]] | None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(f, dict)
        and isinstance(f.get("path"), str)
        and isinstance(f.get("sha256"), str)
        and isinstance(f.get("size"), int)
        for f in files
    ):
        return None
    return files


def archive_verify(zip_bytes: bytes) -> list[ArchiveProblem]:
    """Every integrity problem of an archive; an empty list means it is intact."""
    try:
        zipcheck.zip_check(zip_bytes, zipcheck.archive_limits(), what="档案")
    except zipcheck.UnsafeZip as exc:
        return [ArchiveProblem("", exc.message)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    except zipfile.BadZipFile:
        return [ArchiveProblem("", "不是有效的 ZIP 文件，或文件已损坏")]
    with archive:
        names = archive.namelist()
        problems: list[ArchiveProblem] = []
        if MANIFEST not in names:
            return [ArchiveProblem(MANIFEST, "缺少文件清单，无法核验")]
        manifest_bytes = archive.read(MANIFEST)
        try:
            manifest = json.loads(manifest_bytes)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return [ArchiveProblem(MANIFEST, "文件清单不是有效的 JSON")]
        files = _manifest_files(manifest)
        if files is None:
            return [ArchiveProblem(MANIFEST, f"文件清单格式不符（应为 {FORMAT}）")]
        if SIGNATURE not in names:
            problems.append(ArchiveProblem(SIGNATURE, "缺少清单签名"))
        elif not _signature_valid(
            manifest_bytes, archive.read(SIGNATURE).decode("ascii", "replace").strip()
        ):
            problems.append(
                ArchiveProblem(SIGNATURE, "清单签名不符：清单可能被改动，或档案不是本平台导出的")
            )
        listed = set()
        for entry in files:
            path = entry["path"]
            listed.add(path)
            if path not in names:
                problems.append(ArchiveProblem(path, "清单中列出的文件缺失"))
                continue
            try:
                data = archive.read(path)
            except (zipfile.BadZipFile, OSError) as exc:
                problems.append(ArchiveProblem(path, f"文件损坏，无法读取（{exc}）"))
                continue
            if len(data) != entry["size"]:
                problems.append(
                    ArchiveProblem(
                        path, f"文件大小 {len(data)} 字节，与清单记载的 {entry['size']} 字节不一致"
                    )
                )
            elif hashlib.sha256(data).hexdigest() != entry["sha256"]:
                problems.append(
                    ArchiveProblem(path, "SHA-256 校验值与清单记载不一致，文件已被改动")
                )
        for name in names:
            if name not in listed and name not in (MANIFEST, SIGNATURE):
                problems.append(ArchiveProblem(name, "清单中没有该文件（档案导出后被加入）"))
    return problems


def archive_summary(zip_bytes: bytes) -> dict[str, Any]:
    """The case and file count the manifest states (for the console), or {} if unreadable."""
    try:
        zipcheck.zip_check(zip_bytes, zipcheck.archive_limits(), what="档案")
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
            manifest = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError):  # UnsafeZip is a ValueError
        return {}
    if not isinstance(manifest, dict):
        return {}
    files = manifest.get("files")
    return {
        "case": (manifest.get("case") or {}).get("number", ""),
        "files": len(files) if isinstance(files, list) else 0,
        "exported_at": manifest.get("exported_at", ""),
    }
