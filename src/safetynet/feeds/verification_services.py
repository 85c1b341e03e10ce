"""Issuing verification reports (核对报告) and handing them out again, audited.

An issued report is a document someone relies on (a determination file, a legal-aid
application), so its PDF is kept as issued under ``FEEDS_DIR/reports/<year>/<number>.pdf``
with the texts it shows beside it (``.json``, for the web page), and its SHA-256 is recorded:
a re-download returns the same bytes after checking them against that hash, rather than a new
rendering from data that may have changed since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.documents import DocumentMeta, render
from safetynet.feeds.models import VerificationPurpose, VerificationReport
from safetynet.feeds.verification import (
    ReportContent,
    household_members,
    report_content,
    report_story,
    verification_assemble,
)
from safetynet.registry.models import Household, Person

logger = logging.getLogger(__name__)

REPORTS_DIR = "reports"
NUMBER_ATTEMPTS = 5
MAX_REFERENCE = 100


class VerificationError(Exception):
    """A report that cannot be issued or handed out, with a Chinese message saying why."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def report_path(report: VerificationReport, suffix: str = ".pdf") -> Path:
    year = report.number.split("-")[1][:4]
    return Path(settings.FEEDS_DIR) / REPORTS_DIR / year / f"{report.number}{suffix}"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _next_number(county: str, today: dt.date) -> str:
    """``HC<county>-<yyyymmdd>-<seq>``, numbered per county and day."""
    prefix = f"HC{county}-{today:%Y%m%d}-"
    last = (
        VerificationReport.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _issuer(actor: Any) -> str:
    """The report names who issued it by real name and post (张丽（县民政局社会救助股股长）)."""
    signature = getattr(actor, "signature", "")
    return str(signature) or getattr(actor, "username", "")


def _clean_inputs(
    *, household: Household, purpose: str, authorisation_reference: str, person: Person | None
) -> str:
    if purpose not in VerificationPurpose.values:
        raise VerificationError(
            f"用途“{purpose}”不存在，应为：{'、'.join(VerificationPurpose.values)}",
            field="purpose",
        )
    reference = " ".join(authorisation_reference.split())
    if not reference:
        raise VerificationError(
            "请填写核对授权书编号：核对家庭经济状况须有申请人及家庭成员签署的授权书",
            field="authorisation_reference",
        )
    if len(reference) > MAX_REFERENCE:
        raise VerificationError(
            f"核对授权书编号不能超过 {MAX_REFERENCE} 个字符", field="authorisation_reference"
        )
    if purpose == VerificationPurpose.LEGAL_AID and person is None:
        raise VerificationError("法律援助经济困难核对须选择申请人", field="person")
    if person is not None and person.pk not in {p.pk for _, p in household_members(household)}:
        raise VerificationError("申请人须为该户共同生活的家庭成员", field="person")
    return reference


def verification_report_issue(
    *,
    actor: Any,
    household: Household,
    purpose: str,
    authorisation_reference: str,
    person: Person | None = None,
    request: HttpRequest | None = None,
) -> tuple[VerificationReport, bytes]:
    """Assemble the comparison, number it, render and keep the PDF, record and audit it."""
    require(actor, Capability.VERIFY_HOUSEHOLDS)
    started = time.perf_counter()
    # Scope again here, not only in the view: the console and any future caller go through it.
    household = access_scoped(
        Household.objects.select_related("head", "region"), user=actor, pk=household.pk
    )
    reference = _clean_inputs(
        household=household,
        purpose=purpose,
        authorisation_reference=authorisation_reference,
        person=person,
    )
    result = verification_assemble(household=household, applicant=person)
    issued_at = timezone.now()
    county = household.region_id[:6]
    with transaction.atomic():
        for attempt in range(NUMBER_ATTEMPTS):
            number = _next_number(county, timezone.localdate(issued_at))
            content = report_content(
                result,
                number=number,
                purpose=purpose,
                authorisation_reference=reference,
                issued_by=_issuer(actor),
                issued_at=issued_at,
            )
            pdf = render(
                DocumentMeta(title=content.title, number=number, generated_at=issued_at),
                report_story(content),
            )
            try:
                with transaction.atomic():
                    report = VerificationReport.objects.create(
                        number=number,
                        household=household,
                        person=person,
                        region_id=household.region_id,
                        purpose=purpose,
                        authorisation_reference=reference,
                        sources=result.sources_json(),
                        differences=len(result.differences),
                        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                        created_by=actor if getattr(actor, "pk", None) else None,
                    )
            except IntegrityError:
                # Another officer of the county took this number a moment ago.
                if attempt == NUMBER_ATTEMPTS - 1:
                    raise
                continue
            break
        _write_atomic(report_path(report), pdf)
        _write_atomic(
            report_path(report, ".json"),
            json.dumps(content.as_json(), ensure_ascii=False).encode(),
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="verification_report",
            object_id=report.pk,
            region_code=household.region_id,
            summary=f"出具家庭经济状况核对报告 {number}（{len(result.differences)} 项差异）",
            detail={
                "number": number,
                "household": household.pk,
                "person": person.pk if person else None,
                "purpose": purpose,
                "authorisation_reference": reference,
                "sources": result.sources_json(),
                "differences": len(result.differences),
                "pdf_sha256": report.pdf_sha256,
            },
            request=request,
        )
    logger.info(
        "verification report issued",
        extra={
            "report": number,
            "differences": len(result.differences),
            "sources": len(result.sources_json()),
            "seconds": round(time.perf_counter() - started, 3),
        },
    )
    return report, pdf


def _stored(report: VerificationReport, suffix: str) -> bytes:
    path = report_path(report, suffix)
    if not path.is_file():
        raise VerificationError(f"核对报告 {report.number} 的存档文件缺失，请联系系统管理员")
    return path.read_bytes()


def verification_report_pdf(
    *, actor: Any, report: VerificationReport, request: HttpRequest | None = None
) -> bytes:
    """The PDF as issued, after checking it against the recorded hash; the download is audited."""
    require(actor, Capability.VERIFY_HOUSEHOLDS)
    pdf = _stored(report, ".pdf")
    if hashlib.sha256(pdf).hexdigest() != report.pdf_sha256:
        raise VerificationError(
            f"核对报告 {report.number} 的存档文件与出具时的校验值不一致，可能已被改动，"
            "请联系系统管理员"
        )
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="verification_report",
        object_id=report.pk,
        region_code=report.region_id,
        summary=f"下载家庭经济状况核对报告 {report.number}",
        detail={"number": report.number, "pdf_sha256": report.pdf_sha256},
        request=request,
    )
    return pdf


def verification_report_viewed(
    *, actor: Any, report: VerificationReport, request: HttpRequest | None = None
) -> ReportContent:
    """The texts of the issued report for its web page; viewing it is audited."""
    require(actor, Capability.VERIFY_HOUSEHOLDS)
    content = ReportContent.from_json(json.loads(_stored(report, ".json")))
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type="verification_report",
        object_id=report.pk,
        region_code=report.region_id,
        summary=f"查看家庭经济状况核对报告 {report.number}",
        request=request,
    )
    return content
